package io.commguard.gateway.admin.devices;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The provisioning API's texts in the request's language: Chinese (zh-CN) when {@code
 * Accept-Language} starts with {@code zh}, else English. Bundles {@code messages*.properties}
 * beside this class (UTF-8).
 */
public final class Messages {
  public static final Messages EN = new Messages(Locale.ROOT);
  public static final Messages ZH_CN = new Messages(Locale.SIMPLIFIED_CHINESE);

  private final ResourceBundle bundle;
  private final Locale locale;

  private Messages(Locale locale) {
    this.locale = locale;
    this.bundle = ResourceBundle.getBundle(Messages.class.getPackageName() + ".messages", locale,
        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
  }

  /** The language an {@code Accept-Language} header asks for (null: English). */
  public static Messages forAcceptLanguage(String header) {
    return header != null && header.trim().toLowerCase(Locale.ROOT).startsWith("zh") ? ZH_CN : EN;
  }

  /** {@code zh-CN} or {@code en}. */
  public String language() {
    return locale.equals(Locale.ROOT) ? "en" : "zh-CN";
  }

  public String get(String key, Object... args) {
    String pattern = bundle.getString(key);
    return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
  }
}
