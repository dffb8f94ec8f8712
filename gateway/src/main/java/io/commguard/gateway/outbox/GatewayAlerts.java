package io.commguard.gateway.outbox;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.model.Site;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Alerts the gateway raises about itself (storage full, database moved aside, uplink not
 * delivering, eviction summaries): the device is the gateway, the profile {@code gateway}.
 */
public final class GatewayAlerts {
  public static final String PROFILE = "gateway";

  private GatewayAlerts() {}

  public static DeviceRef device(String gatewayId) {
    return new DeviceRef(gatewayId, PROFILE, "commguard-gateway", Site.UNKNOWN, "gateway");
  }

  /**
   * @param code the {@code native_code} the platform can switch on, e.g. {@code outbox_storage_full}
   */
  public static AlertDraft of(String gatewayId, String alertId, CanonicalType type, int level, AlertState state,
      String code, String description, Map<String, String> attributes, List<Measurement> measurements, Instant now) {
    return new AlertDraft(alertId, device(gatewayId), EventKind.STATUS, type, level, state, code, now, now, measurements,
        List.of(), attributes, description);
  }
}
