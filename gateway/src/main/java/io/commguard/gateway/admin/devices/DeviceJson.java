package io.commguard.gateway.admin.devices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.commguard.gateway.config.ConfigSections;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.model.Site;
import io.commguard.gateway.registry.RegisteredDevice;
import io.commguard.gateway.status.DeviceStatus;
import io.commguard.gateway.status.LiveEvent;
import io.commguard.gateway.validation.InvalidInputException;
import io.commguard.gateway.validation.ProblemCollector;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Devices, their status and their live events as the admin API writes them; device bodies as it reads them. */
final class DeviceJson {
  /** Keys a request may not set: passwords are generated, rule overrides belong in the config file. */
  private static final List<String> REFUSED_KEYS = List.of("passwordHash", "password", "rules", "origin", "source", "status");

  private DeviceJson() {}

  /** The device without its password hash, with its status (null: not tracked). */
  static JsonObject device(RegisteredDevice d, DeviceStatus status) {
    JsonObject out = config(d.config());
    out.put("origin", d.origin().name().toLowerCase(Locale.ROOT)).put("source", d.source());
    out.put("status", status == null ? null : status(status));
    return out;
  }

  /** The device's settings as the audit log and the API show them: no password hash, no rules. */
  static JsonObject config(DeviceConfig c) {
    JsonObject out = new JsonObject().put("id", c.id()).put("profile", c.profile()).put("site", Sites.format(c.site()))
        .put("location", c.location()).put("state", c.state().name().toLowerCase(Locale.ROOT));
    c.bindings().forEach((key, value) -> out.put(key, io.vertx.core.json.Json.decodeValue(value.toString())));
    return out;
  }

  static JsonObject status(DeviceStatus s) {
    return new JsonObject()
        .put("connection", s.connection().word())
        .put("lastSeen", time(s.lastSeen()))
        .put("lastEvent", s.lastEventType() == null ? null
            : new JsonObject().put("type", s.lastEventType()).put("time", time(s.lastEventTime())))
        .put("lastRejection", s.lastRejectionReason() == null ? null
            : new JsonObject().put("reason", s.lastRejectionReason()).put("time", time(s.lastRejectionTime())))
        .put("rejecting", s.rejecting())
        .put("peer", s.peer())
        .put("firmware", s.firmware())
        .put("counters", new JsonObject().put("received", s.received()).put("rejected", s.rejected())
            .put("held", s.held()).put("dropped", s.dropped()));
  }

  static JsonObject event(LiveEvent e) {
    JsonObject fields = new JsonObject();
    e.fields().forEach(fields::put);
    return new JsonObject().put("device", e.deviceId()).put("type", e.type()).put("time", time(e.time()))
        .put("description", e.description()).put("fields", fields).put("decision", e.outcome().word())
        .put("test", e.test());
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  /**
   * A device from a request body: the config file's keys ({@code id}, {@code profile}, {@code
   * location}, {@code state}, source keys such as {@code topic} or {@code modbus}), with {@code
   * site} as the one text {@code community/grid/building/unit/floor/room} or the config's object.
   *
   * @param id the id from the path (a body id, if any, must match), or null to take the body's
   * @throws InvalidInputException naming each problem
   */
  static DeviceConfig parse(String body, String id) {
    ProblemCollector problems = new ProblemCollector("request");
    JsonNode tree;
    try {
      tree = ConfigSections.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (IOException e) {
      problems.add("", "body must be a JSON object");
      throw new InvalidInputException(problems.problems());
    }
    if (!(tree instanceof ObjectNode node)) {
      problems.add("", "body must be a JSON object");
      throw new InvalidInputException(problems.problems());
    }
    for (String refused : REFUSED_KEYS) {
      if (node.has(refused)) {
        problems.add(refused, refused.startsWith("pass") ? "passwords are generated: POST /api/v1/devices/{id}/credentials"
            : "cannot be set through the API");
      }
    }
    if (id != null) {
      if (node.has("id") && !id.equals(node.get("id").asText())) {
        problems.add("id", "differs from the id in the path");
      }
      node.put("id", id);
    }
    JsonNode site = node.get("site");
    if (site != null && site.isTextual()) {
      Site parsed = Sites.parse(site.asText());
      if (parsed == null) {
        problems.add("site", "at most 6 parts separated by / (community/grid/building/unit/floor/room)");
        node.remove("site");
      } else {
        node.set("site", ConfigSections.tree(parsed));
      }
    }
    DeviceConfig config = ConfigSections.read(node, DeviceConfig.class, "", problems);
    if (config != null && (config.profile() == null || config.profile().isBlank())) {
      problems.add("profile", "required: the id of a device profile (GET /api/v1/profiles)");
    }
    problems.throwIfAny();
    return config;
  }
}
