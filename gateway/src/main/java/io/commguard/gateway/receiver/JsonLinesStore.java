package io.commguard.gateway.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.Evidence;
import io.commguard.alert.v1.Measurement;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Received alerts as JSON lines (one alert per line, snake_case field names of the proto). The keys
 * already in the file are loaded at start so de-duplication survives a restart; memory grows with
 * the file (use SQLite for long runs).
 */
final class JsonLinesStore implements ReceivedStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final FileChannel channel;
  private final Set<String> seen = new HashSet<>();

  JsonLinesStore(Path file) throws IOException {
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          JsonNode n = JSON.readTree(line);
          seen.add(n.path("gateway_id").asText() + '#' + n.path("sequence").asLong());
        }
      }
    }
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  @Override
  public List<Alert> store(List<Alert> alerts) throws IOException {
    List<Alert> fresh = new ArrayList<>(alerts.size());
    StringBuilder out = new StringBuilder();
    for (Alert a : alerts) {
      if (seen.add(a.getGatewayId() + '#' + a.getSequence())) {
        fresh.add(a);
        out.append(JSON.writeValueAsString(toJson(a))).append('\n');
      }
    }
    if (!fresh.isEmpty()) {
      ByteBuffer buf = ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      channel.force(false);
    }
    return fresh;
  }

  static ObjectNode toJson(Alert a) {
    ObjectNode n = JSON.createObjectNode();
    n.put("alert_id", a.getAlertId());
    n.put("gateway_id", a.getGatewayId());
    n.put("sequence", a.getSequence());
    ObjectNode site = n.putObject("site");
    site.put("community_code", a.getSite().getCommunityCode());
    site.put("grid_cell", a.getSite().getGridCell());
    site.put("building", a.getSite().getBuilding());
    site.put("unit", a.getSite().getUnit());
    site.put("floor", a.getSite().getFloor());
    site.put("room", a.getSite().getRoom());
    ObjectNode device = n.putObject("device");
    device.put("device_id", a.getDevice().getDeviceId());
    device.put("model", a.getDevice().getModel());
    device.put("profile_id", a.getDevice().getProfileId());
    device.put("location", a.getDevice().getLocation());
    n.put("type", a.getType().name());
    n.put("level", a.getLevel());
    n.put("state", a.getState().name());
    n.put("kind", a.getKind().name());
    n.put("native_code", a.getNativeCode());
    n.put("occurred_at_ms", a.getOccurredAtMs());
    n.put("detected_at_ms", a.getDetectedAtMs());
    var ms = n.putArray("measurements");
    for (Measurement m : a.getMeasurementsList()) {
      var o = ms.addObject().put("name", m.getName());
      if (m.hasValue()) {
        o.put("value", m.getValue());
      } else {
        o.putNull("value");
      }
      o.put("unit", m.getUnit());
    }
    var ev = n.putArray("evidence");
    for (Evidence e : a.getEvidenceList()) {
      ev.addObject().put("kind", e.getKind()).put("ref", e.getRef());
    }
    n.put("description", a.getDescription());
    ObjectNode attrs = n.putObject("attributes");
    a.getAttributesMap().forEach(attrs::put);
    return n;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
