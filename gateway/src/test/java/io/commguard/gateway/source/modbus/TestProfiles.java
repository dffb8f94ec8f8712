package io.commguard.gateway.source.modbus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.commguard.gateway.source.modbus.map.ModbusProfile;
import io.commguard.gateway.source.modbus.map.ModbusProfileParser;
import io.commguard.gateway.validation.ProblemCollector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Reads the modbus section of shipped profiles, or of inline YAML, for tests. */
final class TestProfiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private TestProfiles() {}

  static Path dir() {
    return Path.of(System.getProperty("profiles.dir", "../device-profiles"));
  }

  static ModbusProfile shipped(String folder) {
    try {
      Path file = dir().resolve(folder).resolve("profile.yaml");
      ProblemCollector problems = new ProblemCollector(file.toString());
      ModbusProfile p = new ModbusProfileParser().parse(YAML.readTree(file.toFile()).get("modbus"), problems);
      problems.throwIfAny();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ModbusProfile inline(String modbusSectionYaml) {
    try {
      ProblemCollector problems = new ProblemCollector("inline");
      ModbusProfile p = new ModbusProfileParser().parse(YAML.readTree(modbusSectionYaml), problems);
      problems.throwIfAny();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
