package io.commguard.gateway.admin;

import io.commguard.gateway.config.AdminConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * The configured admin token ({@code admin.tokenFile}, else {@value #TOKEN_ENV}): a bearer token
 * with the {@link Role#ADMIN} role, for scripts and the probes' neighbours that predate users.
 */
public final class AdminToken implements Credentials {
  /** Environment variable holding the token when the config names no token file. */
  public static final String TOKEN_ENV = "COMMGUARD_ADMIN_TOKEN";
  public static final int MIN_TOKEN_LENGTH = 16;

  private final byte[] token;

  /** @throws IllegalArgumentException when the token is shorter than {@value #MIN_TOKEN_LENGTH} characters */
  public AdminToken(String token) {
    if (token == null || token.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException("admin token must have at least " + MIN_TOKEN_LENGTH + " characters");
    }
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads the token from {@code config.tokenFile()} (trimmed), else from {@value #TOKEN_ENV}.
   * Blocking file read; call at boot.
   *
   * @return empty when neither is set
   * @throws IllegalStateException when the file cannot be read or holds no token
   */
  public static Optional<AdminToken> load(AdminConfig config, Map<String, String> env) {
    String value;
    if (config.tokenFile() != null) {
      try {
        value = Files.readString(Path.of(config.tokenFile()), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read admin token file " + config.tokenFile() + ": " + e.getMessage(), e);
      }
      if (value.isEmpty()) {
        throw new IllegalStateException("Admin token file " + config.tokenFile() + " is empty");
      }
    } else {
      value = env.get(TOKEN_ENV);
      if (value == null || value.isBlank()) {
        return Optional.empty();
      }
    }
    return Optional.of(new AdminToken(value.trim()));
  }

  /** Constant-time comparison: the time taken says nothing about how much of a guess was right. */
  @Override
  public Optional<Principal> bearer(String presented) {
    return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token)
        ? Optional.of(Principal.ADMIN_TOKEN) : Optional.empty();
  }

  /** The token alone has no sessions. */
  @Override
  public Optional<Session> session(String cookieValue) {
    return Optional.empty();
  }
}
