package io.commguard.gateway.admin;

import java.util.Optional;

/**
 * Resolves what a request presents into a principal. Called on the event loop for every request:
 * implementations answer from memory and never block.
 */
public interface Credentials {
  /** The principal of an {@code Authorization: Bearer} token, if the token is known. */
  Optional<Principal> bearer(String token);

  /** The live session of a {@code commguard_session} cookie, if any; touching it counts as activity. */
  Optional<Session> session(String cookieValue);

  /** A logged-in browser session: its principal and the token mutating requests must echo. */
  record Session(Principal principal, String csrfToken) {}
}
