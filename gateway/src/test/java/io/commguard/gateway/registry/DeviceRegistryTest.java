package io.commguard.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.model.DeviceState;
import io.commguard.gateway.model.Site;
import io.commguard.gateway.validation.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry against a real {@code devices.db}: imports, run-time changes, what listeners hear, restarts. */
class DeviceRegistryTest {
  /** Every device is fine and MQTT, except one whose profile is "bad". */
  private static final DeviceCheck CHECK = (devices, pathOf, problems) -> {
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      boolean bad = devices.get(i).profile().equals("bad");
      if (bad) {
        problems.add(pathOf.apply(i) + ".profile", "no such profile");
      }
      sources.add(bad ? null : devices.get(i).binding("modbus") != null ? "modbus" : "mqtt");
    }
    return sources;
  };

  @TempDir Path dir;
  private DeviceRegistry registry;
  private final List<DeviceChanges> heard = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private DeviceRegistry open() throws Exception {
    registry = DeviceRegistry.open(dir, CHECK);
    registry.listen(heard::add);
    return registry;
  }

  private static DeviceConfig device(String id) {
    return new DeviceConfig(id, "p", "hash-" + id, new Site("310115", "g", "B3", "1", "2", "201"), "kitchen");
  }

  private static <T> T done(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void import_thenRuntimeChanges_areHeardByListeners_andSurviveAReopen() throws Exception {
    open();
    DeviceChanges imported = done(registry.importConfig(List.of(device("a"), device("b"))));
    assertThat(imported.added()).extracting(RegisteredDevice::id).containsExactly("a", "b");

    DeviceConfig polled = device("c").withBinding("modbus", Map.of("link", "bus", "unitId", 3));
    done(registry.put(polled));
    done(registry.put(device("d")));
    done(registry.setState("d", DeviceState.DISABLED));
    DeviceChanges rotated = done(registry.put(polled.withPasswordHash("new")));
    assertThat(rotated.passwordOnly()).containsExactly("c");
    assertThat(heard.get(2).added()).extracting(RegisteredDevice::id).containsExactly("d");
    assertThat(heard.get(3).removed()).as("disabling reads as removal").extracting(RegisteredDevice::id).containsExactly("d");
    registry.close();

    open();
    assertThat(registry.devices().keySet()).containsExactlyInAnyOrder("a", "b", "c", "d");
    RegisteredDevice c = registry.get("c");
    assertThat(c.source()).isEqualTo("modbus");
    assertThat(c.origin()).isEqualTo(Origin.RUNTIME);
    assertThat(c.config()).isEqualTo(polled.withPasswordHash("new"));
    assertThat(registry.get("d").config().state()).isEqualTo(DeviceState.DISABLED);
    assertThat(registry.get("a").origin()).isEqualTo(Origin.CONFIG);
  }

  @Test
  void reimport_replacesConfigDevices_keepsRuntimeOnes_andTheFileWinsAnIdClash() throws Exception {
    open();
    done(registry.importConfig(List.of(device("a"), device("b"))));
    done(registry.put(device("r")));
    DeviceChanges changes = done(registry.importConfig(List.of(device("a"), device("r"))));
    assertThat(changes.removed()).extracting(RegisteredDevice::id).containsExactly("b");
    assertThat(registry.devices().keySet()).containsExactlyInAnyOrder("a", "r");
    assertThat(registry.get("r").origin()).isEqualTo(Origin.CONFIG);
  }

  @Test
  void refusedChange_leavesEverythingAsItWas() throws Exception {
    open();
    done(registry.importConfig(List.of(device("a"))));
    heard.clear();
    assertThatThrownBy(() -> done(registry.put(new DeviceConfig("x", "bad", null, Site.UNKNOWN, ""))))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("device 'x'.profile: no such profile");
    assertThatThrownBy(() -> done(registry.remove("a"))).hasMessageContaining("declared in the config file");
    assertThatThrownBy(() -> done(registry.setState("nope", DeviceState.DISABLED))).hasMessageContaining("no device with id 'nope'");
    assertThat(heard).isEmpty();
    assertThat(registry.devices().keySet()).containsExactly("a");
  }
}
