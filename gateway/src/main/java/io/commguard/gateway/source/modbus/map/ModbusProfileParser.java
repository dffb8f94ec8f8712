package io.commguard.gateway.source.modbus.map;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.profile.ProfileSectionParser;
import io.commguard.gateway.validation.ProblemCollector;
import io.commguard.gateway.validation.YamlReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the {@code modbus} section of a device profile (see docs/modbus.md for every key) into a
 * {@link ModbusProfile}, reporting every problem with its path. Register the instance with the
 * profile loader under key {@code modbus}.
 */
public final class ModbusProfileParser implements ProfileSectionParser<ModbusProfile> {
  /** How an address in the profile is numbered. */
  public enum AddressBase {
    /** As sent on the wire: the first holding register is 0. */
    ZERO,
    /** Counted from 1 as many manuals do: the first holding register is 1. */
    ONE,
    /** Modicon notation: 40001 (or 400001) is the first holding register, 30001 the first input register. */
    MODICON
  }

  /** The profile's top-level key for the register map. */
  public static final String KEY = "modbus";
  private static final Set<String> SECTION_KEYS =
      Set.of("addressBase", "byteOrder", "maxFill", "telemetryIntervalMs", "groups", "conditions");
  private static final Set<String> GROUP_KEYS = Set.of("name", "pollIntervalMs", "points");
  private static final Set<String> POINT_KEYS = Set.of(
      "name", "table", "address", "addressBase", "type", "bit", "length", "byteOrder", "scale",
      "offset", "decimals", "decimalsFrom", "unit", "role");
  private static final Set<String> CONDITION_KEYS = Set.of(
      "id", "episode", "state", "kind", "type", "level", "when", "nativeCode", "nativeCodeFrom", "description");
  private static final Set<String> CLAUSE_KEYS = Set.of("point", "bit", "mask", "equals", "in");
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  @Override
  public String key() {
    return KEY;
  }

  @Override
  public ModbusProfile parse(JsonNode node, ProblemCollector problems) {
    int before = problems.problems().size();
    YamlReader.Mapping f = new YamlReader(problems).mapping(node, KEY, SECTION_KEYS);
    if (!node.isObject()) {
      return null;
    }
    AddressBase base = f.enumValue("addressBase", AddressBase.class, null);
    if (!f.has("addressBase")) {
      problems.add(f.path("addressBase"), "required (ZERO, ONE or MODICON) so 0- and 1-based addresses are never confused");
    }
    ByteOrder defaultOrder = byteOrder(f, "byteOrder", ByteOrder.ABCD, problems);
    int maxFill = f.integer("maxFill", (long) ModbusProfile.DEFAULT_MAX_FILL, 0, Table.MAX_REGISTERS).intValue();
    Duration telemetry = Duration.ofMillis(f.integer("telemetryIntervalMs",
        ModbusProfile.DEFAULT_TELEMETRY_INTERVAL.toMillis(), 1000, 86_400_000));

    List<PointGroup> groups = new ArrayList<>();
    Map<String, RegisterPoint> points = new HashMap<>();
    Map<String, String> groupOfPoint = new HashMap<>();
    JsonNode groupsNode = f.get("groups");
    if (groupsNode == null || !groupsNode.isArray() || groupsNode.isEmpty()) {
      problems.add(f.path("groups"), "required: a non-empty list of point groups");
    } else {
      Set<String> groupNames = new HashSet<>();
      for (int i = 0; i < groupsNode.size(); i++) {
        PointGroup g = group(groupsNode.get(i), "modbus.groups[" + i + "]", base, defaultOrder, points, groupOfPoint, problems);
        if (g != null) {
          if (!groupNames.add(g.name())) {
            problems.add("modbus.groups[" + i + "].name", "duplicate group name '" + g.name() + "'");
          }
          groups.add(g);
        }
      }
      checkDecimalsRefs(groups, points, groupOfPoint, problems);
    }

    List<Condition> conditions = new ArrayList<>();
    JsonNode condNode = f.get("conditions");
    if (condNode != null && !condNode.isNull()) {
      if (!condNode.isArray()) {
        problems.add(f.path("conditions"), "must be a list");
      } else {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < condNode.size(); i++) {
          Condition c = condition(condNode.get(i), "modbus.conditions[" + i + "]", points, problems);
          if (c != null) {
            if (!ids.add(c.id())) {
              problems.add("modbus.conditions[" + i + "].id", "duplicate condition id '" + c.id() + "'");
            }
            checkEpisode(c, conditions, "modbus.conditions[" + i + "].episode", problems);
            conditions.add(c);
          }
        }
      }
    }
    if (problems.problems().size() > before) {
      return null;
    }
    return new ModbusProfile(groups, conditions, maxFill, telemetry);
  }

  private static PointGroup group(JsonNode node, String path, AddressBase base, ByteOrder defaultOrder,
      Map<String, RegisterPoint> points, Map<String, String> groupOfPoint, ProblemCollector problems) {
    YamlReader.Mapping f = new YamlReader(problems).mapping(node, path, GROUP_KEYS);
    if (!node.isObject()) {
      return null;
    }
    String name = name(f, "name", problems);
    Duration interval = Duration.ofMillis(f.integer("pollIntervalMs",
        PointGroup.DEFAULT_POLL_INTERVAL.toMillis(), 100, 3_600_000));
    JsonNode list = f.get("points");
    List<RegisterPoint> out = new ArrayList<>();
    if (list == null || !list.isArray() || list.isEmpty()) {
      problems.add(f.path("points"), "required: a non-empty list of points");
    } else {
      for (int i = 0; i < list.size(); i++) {
        String pp = path + ".points[" + i + "]";
        RegisterPoint p = point(list.get(i), pp, base, defaultOrder, problems);
        if (p != null) {
          if (points.putIfAbsent(p.name(), p) != null) {
            problems.add(pp + ".name", "duplicate point name '" + p.name() + "'");
          }
          groupOfPoint.put(p.name(), name);
          out.add(p);
        }
      }
    }
    return new PointGroup(name == null ? "?" : name, interval, out);
  }

  private static RegisterPoint point(JsonNode node, String path, AddressBase sectionBase,
      ByteOrder defaultOrder, ProblemCollector problems) {
    YamlReader.Mapping f = new YamlReader(problems).mapping(node, path, POINT_KEYS);
    if (!node.isObject()) {
      return null;
    }
    int before = problems.problems().size();
    String name = name(f, "name", problems);
    AddressBase base = f.enumValue("addressBase", AddressBase.class, sectionBase);
    Table table = f.enumValue("table", Table.class, null);
    Integer address = null;
    if (!f.has("address")) {
      problems.add(f.path("address"), "required");
    } else if (base == AddressBase.MODICON) {
      String text = f.get("address").asText().trim();
      if (!text.matches("[0134]\\d{4,5}")) {
        problems.add(f.path("address"), "Modicon address must be 5 or 6 digits starting 0, 1, 3 or 4 (e.g. 40001), was '" + text + "'");
      } else {
        Table implied = impliedTable(text.charAt(0));
        int number = Integer.parseInt(text.substring(1));
        if (table != null && table != implied) {
          problems.add(f.path("table"), "is " + table + " but Modicon address " + text + " means " + implied);
        }
        table = implied;
        if (number < 1) {
          problems.add(f.path("address"), "Modicon numbering starts at 1 (" + implied.modiconPrefix().charAt(0) + "0001)");
        } else {
          address = number - 1;
        }
      }
    } else {
      Long raw = f.integer("address", null, base == AddressBase.ONE ? 1 : 0, base == AddressBase.ONE ? 65536 : 65535);
      if (raw != null) {
        address = (int) (raw - (base == AddressBase.ONE ? 1 : 0));
      }
    }
    if (table == null) {
      table = Table.HOLDING_REGISTER;
    }
    ValueType type = f.enumValue("type", ValueType.class, table.isBits() ? ValueType.BOOL : ValueType.UINT16);
    if (table.isBits() && type != ValueType.BOOL) {
      problems.add(f.path("type"), table + " holds single bits; type must be BOOL");
    }
    int bit = -1;
    if (type == ValueType.BIT) {
      Long b = f.integer("bit", null, 0, 15);
      if (b == null && !f.has("bit")) {
        problems.add(f.path("bit"), "required for type BIT (0 = least significant)");
      }
      bit = b == null ? 0 : b.intValue();
    } else if (f.has("bit")) {
      problems.add(f.path("bit"), "only applies to type BIT");
    }
    int length = type.registers();
    if (type == ValueType.STRING) {
      Long len = f.integer("length", null, 1, Table.MAX_REGISTERS);
      if (len == null && !f.has("length")) {
        problems.add(f.path("length"), "required for type STRING (registers, two characters each)");
      }
      length = len == null ? 1 : len.intValue();
    } else if (f.has("length")) {
      problems.add(f.path("length"), "only applies to type STRING");
    }
    ByteOrder order = byteOrder(f, "byteOrder", defaultOrder, problems);
    int bytes = type == ValueType.STRING || type == ValueType.BIT || type == ValueType.BOOL ? 2 : type.registers() * 2;
    if (order.width() != 4 && order.width() != bytes) {
      problems.add(f.path("byteOrder"), "'" + order + "' has " + order.width() + " letters but " + type
          + " is " + bytes + " bytes; use " + bytes + " letters, or 4 letters to extend word-wise");
    }
    double scale = f.number("scale", 1.0);
    if (scale == 0) {
      problems.add(f.path("scale"), "must not be 0");
    }
    double offset = f.number("offset", 0.0);
    int decimals = f.integer("decimals", 0L, 0, 9).intValue();
    String decimalsFrom = f.string("decimalsFrom", "");
    if (f.has("decimals") && !decimalsFrom.isEmpty()) {
      problems.add(path, "give either decimals or decimalsFrom, not both");
    }
    if ((scale != 1.0 || offset != 0 || decimals != 0 || !decimalsFrom.isEmpty())
        && (type == ValueType.STRING || type == ValueType.BOOL || type == ValueType.BIT)) {
      problems.add(path, "scale, offset and decimals only apply to numeric types, not " + type);
    }
    String unit = f.string("unit", "");
    RegisterPoint.Role role = f.enumValue("role", RegisterPoint.Role.class, RegisterPoint.Role.INTERNAL);
    if (address != null) {
      int span = table.isBits() ? 1 : type == ValueType.STRING ? length : type.registers();
      if (address + span > 65536) {
        problems.add(f.path("address"), "point runs past the last address 65535");
      }
    }
    if (problems.problems().size() > before || name == null || address == null) {
      return null;
    }
    return new RegisterPoint(name, table, address, type, bit, length, order.forWidth(order.width() == 4 && bytes != 4 ? bytes : order.width()),
        scale, offset, decimals, decimalsFrom, unit, role);
  }

  private static void checkDecimalsRefs(List<PointGroup> groups, Map<String, RegisterPoint> points,
      Map<String, String> groupOfPoint, ProblemCollector problems) {
    for (int gi = 0; gi < groups.size(); gi++) {
      List<RegisterPoint> list = groups.get(gi).points();
      for (int pi = 0; pi < list.size(); pi++) {
        RegisterPoint p = list.get(pi);
        if (p.decimalsFrom().isEmpty()) {
          continue;
        }
        String path = "modbus.groups[" + gi + "].points[" + pi + "].decimalsFrom";
        RegisterPoint ref = points.get(p.decimalsFrom());
        if (ref == null) {
          problems.add(path, "no point named '" + p.decimalsFrom() + "'");
        } else if (!ref.type().isInteger()) {
          problems.add(path, "point '" + ref.name() + "' must have an integer type to hold decimals");
        } else if (!groups.get(gi).name().equals(groupOfPoint.get(ref.name()))) {
          problems.add(path, "point '" + ref.name() + "' must be in the same group so both are read together");
        }
      }
    }
  }

  private static Condition condition(JsonNode node, String path, Map<String, RegisterPoint> points, ProblemCollector problems) {
    YamlReader.Mapping f = new YamlReader(problems).mapping(node, path, CONDITION_KEYS);
    if (!node.isObject()) {
      return null;
    }
    int before = problems.problems().size();
    String id = name(f, "id", problems);
    String episode = f.has("episode") ? name(f, "episode", problems) : id;
    String state = f.requiredString("state");
    if (state != null && !state.matches("[A-Z][A-Z0-9_]*")) {
      problems.add(f.path("state"), "must be UPPER_SNAKE_CASE, e.g. LOW_ALARM");
    }
    EventKind kind = f.enumValue("kind", EventKind.class, EventKind.STATUS);
    if (kind != EventKind.ALARM && kind != EventKind.STATUS) {
      problems.add(f.path("kind"), "must be ALARM or STATUS");
    }
    CanonicalType type = f.enumValue("type", CanonicalType.class, CanonicalType.UNKNOWN);
    if (!f.has("type")) {
      problems.add(f.path("type"), "required: the canonical type, e.g. GAS_LEAK or DEVICE_FAULT");
    }
    int level = f.integer("level", (long) type.defaultLevel(), 1, 4).intValue();
    List<Clause> clauses = new ArrayList<>();
    JsonNode when = f.get("when");
    if (when == null || !when.isArray() || when.isEmpty()) {
      problems.add(f.path("when"), "required: a non-empty list of clauses, all of which must hold");
    } else {
      for (int i = 0; i < when.size(); i++) {
        Clause c = clause(when.get(i), path + ".when[" + i + "]", points, problems);
        if (c != null) {
          clauses.add(c);
        }
      }
    }
    String nativeCodeFrom = f.string("nativeCodeFrom", "");
    if (!nativeCodeFrom.isEmpty()) {
      RegisterPoint ref = points.get(nativeCodeFrom);
      if (ref == null) {
        problems.add(f.path("nativeCodeFrom"), "no point named '" + nativeCodeFrom + "'");
      } else if (!ref.type().isInteger()) {
        problems.add(f.path("nativeCodeFrom"), "point '" + nativeCodeFrom + "' must have an integer type");
      }
    }
    String nativeCode = f.string("nativeCode", "");
    if (nativeCode.isEmpty()) {
      nativeCode = String.join("&", clauses.stream().map(Clause::nativeCode).toList());
    }
    String description = f.string("description", "");
    if (problems.problems().size() > before || id == null || episode == null) {
      return null;
    }
    return new Condition(id, episode, state, kind, type, level, clauses, nativeCode, nativeCodeFrom, description);
  }

  /** One episode is one (type, kind) on the platform: conditions sharing it must agree on both. */
  private static void checkEpisode(Condition c, List<Condition> earlier, String path, ProblemCollector problems) {
    for (Condition other : earlier) {
      if (other.episode().equals(c.episode()) && (other.type() != c.type() || other.kind() != c.kind())) {
        problems.add(path, "episode '" + c.episode() + "' is " + other.kind() + " " + other.type() + " (condition '"
            + other.id() + "'); every condition of one episode must have the same kind and type");
        return;
      }
    }
  }

  private static Clause clause(JsonNode node, String path, Map<String, RegisterPoint> points, ProblemCollector problems) {
    YamlReader.Mapping f = new YamlReader(problems).mapping(node, path, CLAUSE_KEYS);
    if (!node.isObject()) {
      return null;
    }
    int before = problems.problems().size();
    String point = f.requiredString("point");
    if (point != null) {
      RegisterPoint ref = points.get(point);
      if (ref == null) {
        problems.add(f.path("point"), "no point named '" + point + "'");
      } else if (!ref.type().isInteger()) {
        problems.add(f.path("point"), "point '" + point + "' is " + ref.type() + "; conditions need an integer type");
      }
    }
    int bit = f.integer("bit", -1L, 0, 63).intValue();
    long mask = f.integer("mask", 0L, 1, 0xFFFF_FFFFL).longValue();
    if (bit >= 0 && mask != 0) {
      problems.add(path, "give either bit or mask, not both");
    }
    List<Long> in = new ArrayList<>();
    if (f.has("equals") && f.has("in")) {
      problems.add(path, "give either equals or in, not both");
    }
    if (f.has("equals")) {
      Long v = f.integer("equals", null, Long.MIN_VALUE, Long.MAX_VALUE);
      if (v != null) {
        in.add(v);
      }
    }
    JsonNode inNode = f.get("in");
    if (inNode != null && !inNode.isNull()) {
      if (!inNode.isArray() || inNode.isEmpty()) {
        problems.add(f.path("in"), "must be a non-empty list of whole numbers");
      } else {
        for (int i = 0; i < inNode.size(); i++) {
          Long v = YamlReader.parseInteger(inNode.get(i));
          if (v == null) {
            problems.add(f.path("in") + "[" + i + "]", "must be a whole number");
          } else {
            in.add(v);
          }
        }
      }
    }
    if (problems.problems().size() > before) {
      return null;
    }
    return new Clause(point, bit, mask, in);
  }

  private static String name(YamlReader.Mapping f, String key, ProblemCollector problems) {
    String s = f.requiredString(key);
    if (s != null && !NAME.matcher(s).matches()) {
      problems.add(f.path(key), "must start with a letter and hold only letters, digits and _ , was '" + s + "'");
      return null;
    }
    return s;
  }

  private static ByteOrder byteOrder(YamlReader.Mapping f, String key, ByteOrder fallback, ProblemCollector problems) {
    if (!f.has(key)) {
      return fallback;
    }
    String s = f.string(key, "");
    return ByteOrder.parse(s.trim().toUpperCase(java.util.Locale.ROOT)).orElseGet(() -> {
      problems.add(f.path(key), "'" + s + "' is not a byte order: use ABCD, CDAB, BADC, DCBA, their 8-letter forms "
          + "(ABCDEFGH, GHEFCDAB, BADCFEHG, HGFEDCBA) or AB/BA");
      return fallback;
    });
  }

  private static Table impliedTable(char digit) {
    return switch (digit) {
      case '0' -> Table.COIL;
      case '1' -> Table.DISCRETE_INPUT;
      case '3' -> Table.INPUT_REGISTER;
      default -> Table.HOLDING_REGISTER;
    };
  }
}
