package io.commguard.gateway.source.httppush;

import io.commguard.gateway.security.DeviceAuthenticator;
import io.commguard.gateway.security.DeviceAuthenticator.Decision;
import io.commguard.gateway.source.httppush.PushBinding.Auth;
import io.commguard.gateway.source.httppush.PushDevices.Device;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Checks a pushed request's credentials against its device's binding: none, HTTP Basic (the
 * device's {@code passwordHash}, through the shared {@link DeviceAuthenticator}: throttled, slow
 * checks off the event loop, a known-good password accepted at once) or HTTP Digest
 * ({@link DigestAuth}). The user name a device sends must be its device id.
 */
final class PushAuth {
  /** What a request's credentials come to; {@code reason} labels a refusal's counter. */
  record Verdict(boolean accepted, boolean challenge, int status, String reason) {
    static final Verdict OK = new Verdict(true, false, 200, null);

    static Verdict refused(String reason) {
      return new Verdict(false, true, 401, reason);
    }
  }

  private final DeviceAuthenticator authenticator;
  private final DigestAuth digest;
  private final String realm;

  PushAuth(DeviceAuthenticator authenticator, DigestAuth digest, String realm) {
    this.authenticator = authenticator;
    this.digest = digest;
    this.realm = realm;
  }

  /** The {@code WWW-Authenticate} value for a device's 401. */
  String challenge(Device device, boolean stale) {
    return device.binding().auth() == Auth.DIGEST ? digest.challenge(device.binding().digestHash(), stale)
        : "Basic realm=\"" + realm + "\", charset=\"UTF-8\"";
  }

  /**
   * Decides one request. Completes on the caller's thread for the cheap outcomes, else on a
   * verification thread.
   */
  CompletableFuture<Verdict> check(Device device, String authorization, String method, String uri, String address,
      BooleanSupplier gone) {
    Auth auth = device.binding().auth();
    if (auth == Auth.NONE) {
      return CompletableFuture.completedFuture(Verdict.OK);
    }
    if (authorization == null || authorization.isBlank()) {
      return CompletableFuture.completedFuture(Verdict.refused("auth_required"));
    }
    if (auth == Auth.DIGEST) {
      return CompletableFuture.completedFuture(digest.verify(device.id(), device.binding().digestHash(), authorization,
          method, uri, address));
    }
    String[] userAndPassword = basic(authorization);
    if (userAndPassword == null) {
      return CompletableFuture.completedFuture(Verdict.refused("malformed_credentials"));
    }
    String user = userAndPassword[0];
    String storedHash = user.equals(device.id()) ? device.passwordHash() : null;
    return authenticator.authenticate(address, user, userAndPassword[1].toCharArray(), storedHash, gone)
        .thenApply(PushAuth::verdict);
  }

  private static Verdict verdict(Decision decision) {
    return switch (decision.outcome()) {
      case ACCEPTED -> Verdict.OK;
      case LOCKED_OUT -> new Verdict(false, false, 429, "locked_out");
      case BUSY -> new Verdict(false, false, 503, "busy");
      case ABANDONED -> new Verdict(false, false, 401, "abandoned");
      default -> Verdict.refused("bad_credentials");
    };
  }

  /** User and password of a Basic header; null when it is not one. */
  private static String[] basic(String authorization) {
    if (authorization.length() > 1024 || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
