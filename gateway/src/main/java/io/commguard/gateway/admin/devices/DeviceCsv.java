package io.commguard.gateway.admin.devices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.commguard.gateway.config.ConfigLoader;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.model.DeviceState;
import io.commguard.gateway.model.Site;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The device table as a spreadsheet saves it: one header row naming the {@link #COLUMNS} (any
 * order, any case; only {@code id} and {@code profile} are required), then one device per row.
 * Read as UTF-8 (with or without the byte-order mark Excel writes for "CSV UTF-8") or, when the
 * bytes are not valid UTF-8, as GB18030 (what Excel on a Chinese Windows saves as "CSV (comma
 * delimited)"). Written as UTF-8 with a byte-order mark, so Excel opens it with the right
 * characters. Row numbers are the spreadsheet's (the header is row 1; a cell holding a line break
 * shifts the rows after it); empty rows are skipped.
 */
public final class DeviceCsv {
  public static final List<String> COLUMNS = List.of("id", "profile", "site", "location", "state", "topic", "modbusLink",
      "modbusUnitId");
  public static final int MAX_ROWS = 20_000;
  static final String TOPIC_KEY = "topic";
  static final String MODBUS_KEY = "modbus";
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final Charset GB18030 = Charset.forName("GB18030");
  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).setTrim(true).get();

  /**
   * One device read from row {@code row}.
   *
   * @param stateGiven false when the row leaves {@code state} empty (a new device is enabled, an
   *     existing one keeps its state)
   */
  public record Row(int row, DeviceConfig device, boolean stateGiven) {}

  /** A problem of one row ({@code 0}: the file as a whole) and column (empty: the row as a whole). */
  public record RowError(int row, String column, String reason) {}

  public record Parsed(List<Row> rows, List<RowError> errors) {}

  private DeviceCsv() {}

  /** Reads every row, collecting every problem of every row (texts in {@code msg}'s language). */
  public static Parsed parse(byte[] bytes, Messages msg) {
    List<Row> rows = new ArrayList<>();
    List<RowError> errors = new ArrayList<>();
    String text = decode(bytes);
    if (text == null) {
      errors.add(new RowError(0, "", msg.get("bad_encoding")));
      return new Parsed(rows, errors);
    }
    try (CSVParser parser = CSVParser.parse(text, FORMAT)) {
      Map<String, Integer> columns = null;
      Map<String, Integer> firstRowOf = new HashMap<>();
      for (CSVRecord record : parser) {
        int row = (int) record.getRecordNumber();
        if (columns == null) {
          if (blank(record)) {
            continue;
          }
          columns = header(record, msg, errors);
          if (columns == null) {
            return new Parsed(rows, errors);
          }
          continue;
        }
        if (blank(record)) {
          continue;
        }
        if (rows.size() + 1 > MAX_ROWS) {
          errors.add(new RowError(row, "", msg.get("too_many_rows", MAX_ROWS)));
          break;
        }
        DeviceConfig d = device(record, row, columns, firstRowOf, msg, errors);
        if (d != null) {
          rows.add(new Row(row, d, !cell(record, columns, "state").isEmpty()));
        }
      }
      if (columns == null) {
        errors.add(new RowError(0, "", msg.get("empty_file")));
      }
    } catch (IOException | UncheckedIOException e) {
      errors.add(new RowError(0, "", e.getMessage()));
    }
    return new Parsed(rows, errors);
  }

  /** UTF-8 when it has a byte-order mark or is valid UTF-8, else GB18030; null when neither. */
  static String decode(byte[] bytes) {
    if (bytes.length >= 3 && bytes[0] == BOM[0] && bytes[1] == BOM[1] && bytes[2] == BOM[2]) {
      return strict(ByteBuffer.wrap(bytes, 3, bytes.length - 3), StandardCharsets.UTF_8);
    }
    String utf8 = strict(ByteBuffer.wrap(bytes), StandardCharsets.UTF_8);
    return utf8 != null ? utf8 : strict(ByteBuffer.wrap(bytes), GB18030);
  }

  private static String strict(ByteBuffer bytes, Charset charset) {
    try {
      return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static Map<String, Integer> header(CSVRecord record, Messages msg, List<RowError> errors) {
    Map<String, Integer> columns = new LinkedHashMap<>();
    boolean ok = true;
    for (int i = 0; i < record.size(); i++) {
      String name = record.get(i).strip();
      if (name.isEmpty()) {
        continue;
      }
      String known = COLUMNS.stream().filter(c -> c.equalsIgnoreCase(name)).findFirst().orElse(null);
      if (known == null) {
        errors.add(new RowError(1, name, msg.get("unknown_column", name, String.join(", ", COLUMNS))));
        ok = false;
      } else if (columns.putIfAbsent(known, i) != null) {
        errors.add(new RowError(1, known, msg.get("duplicate_column", known)));
        ok = false;
      }
    }
    for (String required : List.of("id", "profile")) {
      if (!columns.containsKey(required)) {
        errors.add(new RowError(1, required, msg.get("missing_column", required)));
        ok = false;
      }
    }
    return ok ? columns : null;
  }

  private static DeviceConfig device(CSVRecord record, int row, Map<String, Integer> columns,
      Map<String, Integer> firstRowOf, Messages msg, List<RowError> errors) {
    int before = errors.size();
    int width = columns.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    for (int i = width; i < record.size(); i++) {
      if (!record.get(i).isBlank()) {
        errors.add(new RowError(row, "", msg.get("bad_row", record.size(), width)));
        break;
      }
    }
    String id = cell(record, columns, "id");
    if (id.isEmpty()) {
      errors.add(new RowError(row, "id", msg.get("required")));
    } else if (!ConfigLoader.DEVICE_ID.matcher(id).matches()) {
      errors.add(new RowError(row, "id", msg.get("bad_id", id)));
    } else {
      Integer first = firstRowOf.putIfAbsent(id, row);
      if (first != null) {
        errors.add(new RowError(row, "id", msg.get("duplicate_id", id, first)));
      }
    }
    String profile = cell(record, columns, "profile");
    if (profile.isEmpty()) {
      errors.add(new RowError(row, "profile", msg.get("required")));
    }
    Site site = Sites.parse(cell(record, columns, "site"));
    if (site == null) {
      errors.add(new RowError(row, "site", msg.get("bad_site", cell(record, columns, "site"))));
    }
    String stateText = cell(record, columns, "state");
    DeviceState state = stateText.isEmpty() ? DeviceState.ENABLED : state(stateText);
    if (state == null) {
      errors.add(new RowError(row, "state", msg.get("bad_state", stateText)));
    }
    Map<String, JsonNode> bindings = new LinkedHashMap<>();
    String topic = cell(record, columns, "topic");
    if (!topic.isEmpty()) {
      bindings.put(TOPIC_KEY, JsonNodeFactory.instance.textNode(topic));
    }
    String link = cell(record, columns, "modbusLink");
    String unit = cell(record, columns, "modbusUnitId");
    if (!link.isEmpty() || !unit.isEmpty()) {
      ObjectNode modbus = JsonNodeFactory.instance.objectNode();
      if (link.isEmpty()) {
        errors.add(new RowError(row, "modbusLink", msg.get("unit_without_link")));
      }
      modbus.put("link", link);
      if (!unit.isEmpty()) {
        Integer unitId = unitId(unit);
        if (unitId == null) {
          errors.add(new RowError(row, "modbusUnitId", msg.get("bad_unit_id", unit)));
        } else {
          modbus.put("unitId", unitId);
        }
      }
      if (!topic.isEmpty()) {
        errors.add(new RowError(row, "topic", msg.get("topic_and_modbus")));
      }
      bindings.put(MODBUS_KEY, modbus);
    }
    if (errors.size() > before) {
      return null;
    }
    return new DeviceConfig(id, profile, null, site, cell(record, columns, "location"), null, state, bindings);
  }

  /** An empty line, or a row of empty cells (a spreadsheet's trailing rows). */
  private static boolean blank(CSVRecord record) {
    return record.stream().allMatch(String::isBlank);
  }

  private static String cell(CSVRecord record, Map<String, Integer> columns, String column) {
    Integer i = columns.get(column);
    return i == null || i >= record.size() ? "" : record.get(i).strip();
  }

  private static DeviceState state(String text) {
    try {
      return DeviceState.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Integer unitId(String text) {
    try {
      int v = Integer.parseInt(text);
      return v >= 0 && v <= 255 ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The devices as CSV (UTF-8 with a byte-order mark), in {@link #COLUMNS}. */
  public static byte[] write(Collection<DeviceConfig> devices) {
    StringWriter out = new StringWriter();
    try (CSVPrinter printer = new CSVPrinter(out, FORMAT)) {
      printer.printRecord(COLUMNS);
      for (DeviceConfig d : devices) {
        JsonNode modbus = d.binding(MODBUS_KEY);
        JsonNode topic = d.binding(TOPIC_KEY);
        printer.printRecord(d.id(), d.profile(), Sites.format(d.site()), d.location(),
            d.state().name().toLowerCase(Locale.ROOT), topic == null ? "" : topic.asText(),
            modbus == null || modbus.get("link") == null ? "" : modbus.get("link").asText(),
            modbus == null || modbus.get("unitId") == null ? "" : modbus.get("unitId").asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return withBom(out.toString());
  }

  /** The header row alone: what a technician fills in. */
  public static byte[] template() {
    return write(List.of());
  }

  /** {@code id,password} of each new device, to load into the devices; shown once. */
  public static String credentials(Map<String, String> passwordById) {
    StringWriter out = new StringWriter();
    try (CSVPrinter printer = new CSVPrinter(out, FORMAT)) {
      printer.printRecord("id", "password");
      for (Map.Entry<String, String> e : passwordById.entrySet()) {
        printer.printRecord(e.getKey(), e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static byte[] withBom(String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[BOM.length + body.length];
    System.arraycopy(BOM, 0, out, 0, BOM.length);
    System.arraycopy(body, 0, out, BOM.length, body.length);
    return out;
  }
}
