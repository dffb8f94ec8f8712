package io.commguard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.registry.DeviceChanges;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a reload applied and what it could not. Devices apply live through the device registry;
 * every other part of the config is compared with the running one, and a changed part is named as
 * needing a restart rather than silently ignored.
 *
 * @param needsRestart the top-level config keys that differ from the running config
 */
public record Reload(DeviceChanges devices, List<String> needsRestart) {

  /** The top-level keys, other than {@code devices}, whose value differs between two configs. */
  static List<String> restartOnly(GatewayConfig running, GatewayConfig next) {
    List<String> changed = new ArrayList<>();
    check(changed, "gatewayId", running.gatewayId(), next.gatewayId());
    check(changed, "dataDir", running.dataDir(), next.dataDir());
    check(changed, "profilesDir", running.profilesDir(), next.profilesDir());
    check(changed, "uplink", running.uplink(), next.uplink());
    check(changed, "outbox", running.outbox(), next.outbox());
    check(changed, "rules", running.rules(), next.rules());
    check(changed, "admin", running.admin(), next.admin());
    check(changed, "log", running.log(), next.log());
    check(changed, "evidence", running.evidence(), next.evidence());
    Set<String> keys = new TreeSet<>(running.sourceSections().keySet());
    keys.addAll(next.sourceSections().keySet());
    keys.forEach(k -> check(changed, k, running.section(k), next.section(k)));
    Map<String, JsonNode> rulesBefore = new HashMap<>();
    running.devices().stream().filter(d -> d.rules() != null).forEach(d -> rulesBefore.put(d.id(), d.rules()));
    for (DeviceConfig d : next.devices()) {
      if (!Objects.equals(rulesBefore.get(d.id()), d.rules())) {
        changed.add("devices[" + d.id() + "].rules");
      }
    }
    return List.copyOf(changed);
  }

  private static void check(List<String> changed, String key, Object running, Object next) {
    if (!Objects.equals(running, next)) {
      changed.add(key);
    }
  }

  /** One line for the log and the operator. */
  public String summary() {
    return "devices added=" + devices.added().size() + " updated=" + devices.updated().size() + " removed="
        + devices.removed().size() + (needsRestart.isEmpty() ? "" : "; changed but applied only by a restart: "
        + String.join(", ", needsRestart));
  }
}
