package io.commguard.gateway.admin;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console's files, from {@code console/} in the jar: {@code /} is its page, {@code
 * /console/**} its scripts, styles and texts. Open to anyone, like the probes: the files hold no
 * data and no secret, and the page logs in through the API. Browsers revalidate them on every
 * load ({@code no-cache}), so a gateway upgrade never meets scripts cached from the last version.
 */
final class ConsoleFiles {
  /** Where the files are in the jar, and the path they are served under. */
  static final String ROOT = "console";
  static final String INDEX = "/" + ROOT + "/index.html";

  private ConsoleFiles() {}

  static void mount(Router router) {
    StaticHandler files = StaticHandler.create(ROOT)
        .setCachingEnabled(false)
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        .setDefaultContentEncoding("UTF-8");
    router.route("/").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> ctx.reroute(INDEX));
    router.route("/" + ROOT + "/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(ctx -> {
          ctx.response().putHeader("Cache-Control", "no-cache");
          ctx.next();
        })
        .handler(files);
  }
}
