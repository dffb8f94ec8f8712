package io.commguard.gateway.admin.devices;

import io.vertx.core.json.JsonObject;

/**
 * Where device changes are recorded: who, what, on which device, before and after (never a
 * password or its hash). Blocking; the routes call it on a worker and answer only once it returned.
 */
@FunctionalInterface
public interface AuditTrail {
  /**
   * @param before null for a device created; {@code after} null for one removed
   * @throws RuntimeException when the change could not be recorded (the request then fails)
   */
  void record(String actor, String action, String target, JsonObject before, JsonObject after);
}
