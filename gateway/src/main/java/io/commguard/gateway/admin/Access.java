package io.commguard.gateway.admin;

import io.commguard.gateway.metrics.Counters;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * The gate in front of every API route: who is asking ({@code Authorization: Bearer <token>}, or
 * the {@code commguard_session} cookie), whether a cookie-authenticated change carries the
 * session's {@code X-CSRF-Token}, and whether the role suffices. Runs on the event loop and never
 * blocks: credentials are resolved from memory.
 *
 * <p>Refusals: 401 {@code unauthenticated} (with {@code WWW-Authenticate: Bearer}), 403 {@code
 * csrf}, 403 {@code forbidden}; each is counted as {@code admin_rejected{reason=...}}.
 */
public final class Access {
  public static final String SESSION_COOKIE = "commguard_session";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  private static final String PRINCIPAL_KEY = "commguard.principal";
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private final Credentials credentials;
  private final Counters counters;

  public Access(Credentials credentials, Counters counters) {
    this.credentials = credentials;
    this.counters = counters;
  }

  /** A handler that lets the request on only when it is authenticated with at least {@code role}. */
  public Handler<RoutingContext> require(Role role) {
    return ctx -> {
      Optional<Principal> who = authenticate(ctx);
      if (who.isEmpty()) {
        return;
      }
      if (!who.get().role().atLeast(role)) {
        counters.increment("admin_rejected", "", "forbidden");
        ApiError.send(ctx, 403, "forbidden");
        return;
      }
      ctx.put(PRINCIPAL_KEY, who.get());
      ctx.next();
    };
  }

  /** The principal {@link #require} let through. */
  public static Principal principal(RoutingContext ctx) {
    Principal p = ctx.get(PRINCIPAL_KEY);
    if (p == null) {
      throw new IllegalStateException("route " + ctx.request().path() + " has no Access.require before its handler");
    }
    return p;
  }

  /** The principal, or empty after answering 401 or 403 csrf. */
  private Optional<Principal> authenticate(RoutingContext ctx) {
    String auth = ctx.request().getHeader("Authorization");
    if (auth != null) {
      Optional<Principal> p = auth.regionMatches(true, 0, "Bearer ", 0, 7)
          ? credentials.bearer(auth.substring(7).trim()) : Optional.empty();
      if (p.isEmpty()) {
        unauthenticated(ctx);
      }
      return p;
    }
    Cookie cookie = ctx.request().getCookie(SESSION_COOKIE);
    Optional<Credentials.Session> session = cookie == null ? Optional.empty() : credentials.session(cookie.getValue());
    if (session.isEmpty()) {
      unauthenticated(ctx);
      return Optional.empty();
    }
    if (!SAFE.contains(ctx.request().method()) && !csrfMatches(ctx.request().getHeader(CSRF_HEADER), session.get())) {
      counters.increment("admin_rejected", "", "csrf");
      ApiError.send(ctx, 403, "csrf");
      return Optional.empty();
    }
    return Optional.of(session.get().principal());
  }

  private static boolean csrfMatches(String header, Credentials.Session session) {
    return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
        session.csrfToken().getBytes(StandardCharsets.UTF_8));
  }

  private void unauthenticated(RoutingContext ctx) {
    counters.increment("admin_rejected", "", "unauthorized");
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    ApiError.send(ctx, 401, "unauthenticated");
  }
}
