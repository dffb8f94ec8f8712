package io.commguard.gateway.receiver;

import io.commguard.gateway.security.HmacKey;
import io.commguard.gateway.wire.Seal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The receiver's check of signed messages ({@link Seal}): a message must carry a MAC under a key
 * the receiver holds (for its gateway, when the key is bound to one), and a sequence above every
 * sequence already accepted from that gateway for that message type, else it is refused: a
 * recorded batch played again, or an old one, is not taken a second time.
 *
 * <p>The highest sequences are kept in memory: after the receiver restarts, the first valid message
 * of each gateway sets the mark again (alerts are still de-duplicated by the store). Used on Paho's
 * callback thread only. Only messages with a valid MAC add entries, so its size is bounded by the
 * gateways that hold a key.
 */
final class SignedSenders {
  /** Why a message was refused, as counted and shown. */
  enum Refusal { UNSIGNED, UNKNOWN_KEY, BAD_SIGNATURE, REPLAYED, MISMATCHED_GATEWAY }

  /**
   * One key the receiver accepts.
   *
   * @param gatewayId the only gateway that may use it; null for any gateway
   */
  record Grant(HmacKey key, String gatewayId) {
    /**
     * {@code FILE} (any gateway) or {@code GATEWAY_ID=FILE}; the file is read and checked like the
     * gateway's (owner-only, 32 to 64 raw bytes).
     */
    static Grant parse(String spec) {
      int eq = spec.indexOf('=');
      String gateway = eq > 0 ? spec.substring(0, eq) : null;
      return new Grant(HmacKey.load(Path.of(eq > 0 ? spec.substring(eq + 1) : spec)), gateway);
    }
  }

  private final Map<String, Grant> grants = new HashMap<>();
  private final Map<String, Long> highest = new HashMap<>();

  SignedSenders(List<Grant> grants) {
    grants.forEach(g -> this.grants.put(g.key().id(), g));
  }

  /** Null when {@code payload}, a message of {@code messageType} from {@code gatewayId}, is accepted. */
  Refusal check(String messageType, byte[] payload, String gatewayId) {
    Seal.Verdict verdict = Seal.verify(messageType, payload, id -> {
      Grant g = grants.get(id);
      return g == null || (g.gatewayId() != null && !g.gatewayId().equals(gatewayId)) ? null : g.key();
    });
    if (!verdict.valid()) {
      return switch (verdict.refusal()) {
        case UNSIGNED -> Refusal.UNSIGNED;
        case UNKNOWN_KEY -> Refusal.UNKNOWN_KEY;
        case BAD_SIGNATURE -> Refusal.BAD_SIGNATURE;
      };
    }
    String stream = messageType + "\u0000" + gatewayId;
    Long last = highest.get(stream);
    if (last != null && Long.compareUnsigned(verdict.sequence(), last) <= 0) {
      return Refusal.REPLAYED;
    }
    highest.put(stream, verdict.sequence());
    return null;
  }
}
