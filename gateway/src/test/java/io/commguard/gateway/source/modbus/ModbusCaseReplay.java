package io.commguard.gateway.source.modbus;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.source.modbus.map.ModbusProfile;
import io.commguard.gateway.source.modbus.map.ReadRequest;
import io.commguard.gateway.source.modbus.map.Table;
import io.commguard.gateway.validation.Names;
import io.commguard.gateway.validation.YamlReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays the register images of a Modbus profile case through the poller's own decoding
 * ({@link DeviceSession}): each poll reads every group of the register map once from the image, one
 * second after the poll before, and yields the events the poller would hand to the pipeline.
 */
public final class ModbusCaseReplay {
  /** The link and unit id of the replayed device, as they appear in event attributes. */
  public static final String LINK = "case-link";
  public static final int UNIT_ID = 1;

  private ModbusCaseReplay() {}

  /**
   * @param polls the {@code polls} list of a case: each item maps a table name (any spelling of
   *     {@link Table}) to {@code {address: value}}; registers not listed read 0
   * @return each poll's events in order, with {@code receivedAt} = {@code start} + poll index seconds
   */
  public static List<List<DeviceEvent>> replay(DeviceRef device, ModbusProfile profile, JsonNode polls, Instant start) {
    DeviceSession session = new DeviceSession(new ModbusDevice(device, LINK, UNIT_ID, profile));
    List<List<DeviceEvent>> out = new ArrayList<>();
    for (int i = 0; i < polls.size(); i++) {
      JsonNode image = polls.get(i);
      for (int g = 0; g < profile.groups().size(); g++) {
        List<ReadRequest> plan = session.plan(g);
        byte[][] results = new byte[plan.size()][];
        for (int r = 0; r < plan.size(); r++) {
          results[r] = read(image, plan.get(r));
        }
        session.store(g, plan, results);
      }
      List<DeviceEvent> events = new ArrayList<>();
      session.events(start.plusSeconds(i), Duration.ofSeconds(i).toNanos()).forEach(e -> events.add(e.event()));
      out.add(events);
    }
    return out;
  }

  private static byte[] read(JsonNode image, ReadRequest request) {
    JsonNode table = null;
    for (var e : YamlReader.entries(image)) {
      if (Names.enumConstant(Table.class, e.getKey()) == request.table()) {
        table = e.getValue();
      }
    }
    boolean bits = request.table().isBits();
    byte[] data = new byte[bits ? (request.quantity() + 7) / 8 : request.quantity() * 2];
    for (int k = 0; k < request.quantity() && table != null; k++) {
      JsonNode v = table.get(Integer.toString(request.address() + k));
      long value = v == null ? 0 : YamlReader.parseInteger(v);
      if (bits) {
        data[k >> 3] |= (byte) ((value & 1) << (k & 7));
      } else {
        data[2 * k] = (byte) (value >> 8);
        data[2 * k + 1] = (byte) value;
      }
    }
    return data;
  }
}
