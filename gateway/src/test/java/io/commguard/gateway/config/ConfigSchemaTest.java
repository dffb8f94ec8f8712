package io.commguard.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.SourceTypes;
import io.commguard.gateway.source.httppush.HttpPushConfig;
import io.commguard.gateway.source.httppush.PushBinding;
import io.commguard.gateway.source.modbus.DeviceModbusConfig;
import io.commguard.gateway.source.modbus.ModbusLinkConfig;
import io.commguard.gateway.source.stream.StreamDeviceConfig;
import io.commguard.gateway.source.stream.StreamsConfig;
import io.commguard.gateway.source.mqtt.DeviceEndpointConfig;
import io.commguard.gateway.source.mqtt.ExternalBrokerConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * schema/gateway-config.schema.json (for editor completion) says what the loader reads: its keys
 * are exactly the config records' components at every level, its enums hold every constant, and
 * the example config and the config examples in docs/ validate against it.
 */
class ConfigSchemaTest {
  private static final Path REPO = Path.of(System.getProperty("profiles.dir", "../device-profiles")).toAbsolutePath()
      .normalize().getParent();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern YAML_BLOCK = Pattern.compile("(?s)```yaml\\n(.*?)```");

  private final JsonObject schema = new JsonObject(read(REPO.resolve("schema/gateway-config.schema.json")));
  private final Validator validator = Validator.create(JsonSchema.of(schema),
      new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://commguard.invalid/"));

  @Test
  void keysAndEnums_matchTheConfigRecords() {
    List<String> mismatches = new ArrayList<>();
    compare(GatewayConfig.class, schema, "", mismatches);
    assertThat(mismatches).isEmpty();
  }

  @Test
  void exampleConfig_validates() throws Exception {
    assertValid(validator, "deploy/gateway.example.yaml", Files.readString(REPO.resolve("deploy/gateway.example.yaml")));
  }

  /** A docs block made of config sections (e.g. the admin API's {@code admin:} example) must be valid as far as it goes. */
  @Test
  void docsConfigFragments_validate() throws Exception {
    JsonObject partial = schema.copy();
    partial.remove("required");
    Validator fragments = Validator.create(JsonSchema.of(partial),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://commguard.invalid/"));
    List<String> topKeys = keysOf(GatewayConfig.class).stream().map(RecordComponent::getName).toList();
    int checked = 0;
    try (Stream<Path> docs = Files.list(REPO.resolve("docs"))) {
      for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        Matcher m = YAML_BLOCK.matcher(Files.readString(doc));
        while (m.find()) {
          JsonNode block = YAML.readTree(m.group(1));
          List<String> keys = new ArrayList<>();
          if (block != null && block.isObject()) {
            block.fieldNames().forEachRemaining(keys::add);
          }
          if (!keys.isEmpty() && topKeys.containsAll(keys) && !keys.equals(List.of("rules"))) {
            assertValid(fragments, REPO.relativize(doc) + " block " + keys, m.group(1));
            checked++;
          }
        }
      }
    }
    assertThat(checked).as("config blocks found in docs/").isGreaterThanOrEqualTo(3);
  }

  @Test
  void aMisspelledKeyOrAWrongType_isFlagged() throws Exception {
    OutputUnit typo = validate("gatewayId: gw-1\nuplink: {brokerUrl: 'tcp://127.0.0.1:1883', ackMod: platform}\n");
    assertThat(typo.getValid()).isFalse();
    OutputUnit type = validate("gatewayId: gw-1\nuplink: {brokerUrl: 'tcp://127.0.0.1:1883'}\nadmin: {port: eight}\n");
    assertThat(type.getValid()).isFalse();
    assertThat(validate("gatewayId: gw-1\nuplink: {brokerUrl: 'tcp://x:1883', ackMode: BROKER}\nlog: {format: json}\n")
        .getValid()).isTrue();
  }

  private static void assertValid(Validator validator, String where, String yaml) throws Exception {
    OutputUnit result = validator.validate(json(yaml));
    assertThat(result.getValid()).as("%s: %s", where, result.toJson().encode()).isTrue();
  }

  private OutputUnit validate(String yaml) throws Exception {
    return validator.validate(json(yaml));
  }

  private static JsonObject json(String yaml) throws Exception {
    return new JsonObject(new ObjectMapper().writeValueAsString(YAML.readTree(yaml)));
  }

  /** The top-level keys the built-in sources own, typed as they read them. */
  private record SourceSections(DeviceEndpointConfig deviceEndpoint, ExternalBrokerConfig externalBroker,
      List<ModbusLinkConfig> modbusLinks, HttpPushConfig httpPush, StreamsConfig eventStreams) {}

  /** The device keys the built-in sources own. */
  private record SourceDeviceKeys(String topic, DeviceModbusConfig modbus, PushBinding httpPush, StreamDeviceConfig stream) {}

  @Test
  void sourceOwnedKeys_areTheRegisteredSourcesKeys() {
    assertThat(names(SourceSections.class)).containsExactlyInAnyOrderElementsOf(
        SourceTypes.builtIn().stream().flatMap(t -> t.configKeys().stream()).toList());
    assertThat(names(SourceDeviceKeys.class)).containsExactlyInAnyOrderElementsOf(
        SourceTypes.builtIn().stream().flatMap(t -> t.deviceKeys().stream()).toList());
  }

  private static List<String> names(Class<?> record) {
    return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList();
  }

  /**
   * A record's keys: its components, except the one collecting the keys a source owns, which
   * stands for that source-owned record's components.
   */
  private static List<RecordComponent> keysOf(Class<?> record) {
    List<RecordComponent> keys = new ArrayList<>();
    @SuppressWarnings("unchecked")
    Set<String> own = ConfigSections.ownKeys((Class<? extends Record>) record);
    for (RecordComponent c : record.getRecordComponents()) {
      if (own.contains(c.getName())) {
        keys.add(c);
      } else if (record == GatewayConfig.class) {
        keys.addAll(List.of(SourceSections.class.getRecordComponents()));
      } else if (record == DeviceConfig.class) {
        keys.addAll(List.of(SourceDeviceKeys.class.getRecordComponents()));
      }
    }
    return keys;
  }

  private static void compare(Class<?> record, JsonObject schema, String path, List<String> mismatches) {
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    List<String> components = keysOf(record).stream().map(RecordComponent::getName).toList();
    if (!properties.fieldNames().containsAll(components) || !components.containsAll(properties.fieldNames())) {
      mismatches.add(path + ": record " + components + " vs schema " + properties.fieldNames());
    }
    if (!Boolean.FALSE.equals(schema.getValue("additionalProperties"))) {
      mismatches.add(path + ": unknown keys are refused by the loader, so additionalProperties must be false");
    }
    for (RecordComponent c : keysOf(record)) {
      JsonObject property = properties.getJsonObject(c.getName());
      if (property != null) {
        compareType(c.getType(), c.getGenericType(), property, path + "/" + c.getName(), mismatches);
      }
    }
  }

  private static void compareType(Class<?> type, Type generic, JsonObject property, String path, List<String> mismatches) {
    if (type.isRecord()) {
      compare(type, property, path, mismatches);
    } else if (type.isEnum()) {
      JsonArray allowed = property.getJsonArray("enum", new JsonArray());
      for (Object constant : type.getEnumConstants()) {
        if (!allowed.contains(((Enum<?>) constant).name())) {
          mismatches.add(path + ": enum lacks " + constant);
        }
      }
    } else if (List.class.isAssignableFrom(type) && generic instanceof ParameterizedType p
        && p.getActualTypeArguments()[0] instanceof Class<?> item) {
      compareType(item, item, property.getJsonObject("items", new JsonObject()), path + "[]", mismatches);
    } else {
      String expected = type == String.class ? "string" : type == Boolean.class ? "boolean"
          : type == Integer.class || type == Long.class ? "integer" : "object";
      if (!expected.equals(property.getString("type"))) {
        mismatches.add(path + ": type " + property.getString("type") + ", expected " + expected);
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
