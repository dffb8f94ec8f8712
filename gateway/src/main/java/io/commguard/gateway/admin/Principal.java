package io.commguard.gateway.admin;

/**
 * Who a request acts as, once authenticated.
 *
 * @param name the user name, API token name, or {@code admin-token} for the configured token
 * @param kind how the request proved it: a session cookie or a bearer token
 * @param role what it may do
 */
public record Principal(String name, Kind kind, Role role) {
  public enum Kind { SESSION, TOKEN }

  /** The configured admin token ({@code admin.tokenFile} / {@code COMMGUARD_ADMIN_TOKEN}). */
  public static final Principal ADMIN_TOKEN = new Principal("admin-token", Kind.TOKEN, Role.ADMIN);

  /** How the audit log names this principal: {@code user:alice}, {@code token:ci-export}, {@code admin-token}. */
  public String actor() {
    if (this.equals(ADMIN_TOKEN)) {
      return name;
    }
    return (kind == Kind.SESSION ? "user:" : "token:") + name;
  }
}
