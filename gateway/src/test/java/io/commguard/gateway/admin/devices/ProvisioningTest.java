package io.commguard.gateway.admin.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.model.DeviceState;
import io.commguard.gateway.model.Site;
import io.commguard.gateway.registry.DeviceChanges;
import io.commguard.gateway.registry.DeviceCheck;
import io.commguard.gateway.registry.DeviceRegistry;
import io.commguard.gateway.registry.Origin;
import io.commguard.gateway.security.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provisioning over a real registry file: credentials, imports all or nothing, export. */
class ProvisioningTest {
  /** Profile "bad" does not exist; devices with a modbus key are Modbus (no login), others MQTT. */
  private static final DeviceCheck CHECK = (devices, pathOf, problems) -> {
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      boolean bad = devices.get(i).profile().equals("bad");
      if (bad) {
        problems.add(pathOf.apply(i) + ".profile", "no profile with id 'bad'");
      }
      if (devices.get(i).binding("modbus") != null && devices.get(i).binding("modbus").get("unitId").asInt() == 0) {
        problems.add(pathOf.apply(i) + ".modbus.unitId", "must be 1..247");
      }
      sources.add(bad ? null : devices.get(i).binding("modbus") != null ? "modbus" : "mqtt");
    }
    return sources;
  };

  @TempDir Path dir;
  private DeviceRegistry registry;
  private Provisioning provisioning;
  private final List<DeviceChanges> heard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() throws Exception {
    registry = DeviceRegistry.open(dir, CHECK);
    registry.listen(heard::add);
    done(registry.importConfig(List.of(new DeviceConfig("cfg-1", "p", null, Site.UNKNOWN, ""))));
    heard.clear();
    provisioning = new Provisioning(registry, d -> d.binding("modbus") == null);
  }

  @AfterEach
  void close() throws Exception {
    provisioning.close();
    registry.close();
  }

  private static <T> T done(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void create_generatesAPasswordShownOnce_keepsOnlyItsHash_andRotateReplacesIt() throws Exception {
    Provisioning.Created created = done(provisioning.create(new DeviceConfig("cam-1", "p", null, Site.UNKNOWN, "gate")));

    assertThat(created.password()).hasSize(20);
    String hash = registry.get("cam-1").config().passwordHash();
    assertThat(PasswordHash.verify(created.password().toCharArray(), hash)).isTrue();
    assertThat(registry.get("cam-1").origin()).isEqualTo(Origin.RUNTIME);

    String rotated = done(provisioning.rotate("cam-1"));

    assertThat(rotated).isNotEqualTo(created.password());
    String newHash = registry.get("cam-1").config().passwordHash();
    assertThat(PasswordHash.verify(rotated.toCharArray(), newHash)).isTrue();
    assertThat(PasswordHash.verify(created.password().toCharArray(), newHash)).isFalse();
  }

  @Test
  void changes_toConfigDevicesOrExistingIds_areRefused() throws Exception {
    assertThatThrownBy(() -> done(provisioning.setState("cfg-1", DeviceState.DISABLED)))
        .hasCauseInstanceOf(Provisioning.ConfigDeviceException.class);
    assertThatThrownBy(() -> done(provisioning.create(new DeviceConfig("cfg-1", "p", null, Site.UNKNOWN, ""))))
        .hasCauseInstanceOf(Provisioning.ConfigDeviceException.class);
    done(provisioning.create(new DeviceConfig("cam-1", "p", null, Site.UNKNOWN, "")));
    assertThatThrownBy(() -> done(provisioning.create(new DeviceConfig("cam-1", "p", null, Site.UNKNOWN, ""))))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(Provisioning.ExistenceException.class);
  }

  @Test
  void importCsv_dryRunWithABadRow_namesRowAndColumn_andChangesNothing() throws Exception {
    String csv = "id,profile,modbusLink,modbusUnitId\n"
        + "gas-1,p,,\n"
        + "gas-2,bad,,\n"
        + "gas-3,p,bus,0\n"
        + "cfg-1,p,,\n";

    for (boolean apply : new boolean[] {false, true}) {
      Provisioning.ImportResult r = done(provisioning.importCsv(csv.getBytes(StandardCharsets.UTF_8), apply, Messages.EN));

      assertThat(r.applied()).isFalse();
      assertThat(r.valid()).isEqualTo(1);
      assertThat(r.errors()).extracting(DeviceCsv.RowError::row, DeviceCsv.RowError::column).containsExactly(
          org.assertj.core.groups.Tuple.tuple(3, "profile"),
          org.assertj.core.groups.Tuple.tuple(4, "modbusUnitId"),
          org.assertj.core.groups.Tuple.tuple(5, "id"));
      assertThat(r.errors().get(0).reason()).isEqualTo("no profile with id 'bad'");
    }
    assertThat(registry.devices().keySet()).containsExactly("cfg-1");
    assertThat(heard).isEmpty();
  }

  @Test
  void importCsv_apply_addsAndUpdatesInOneChange_withCredentialsForNewLoginDevicesOnly() throws Exception {
    done(provisioning.create(new DeviceConfig("gas-1", "p", null, Site.UNKNOWN, "old")));
    String oldHash = registry.get("gas-1").config().passwordHash();
    done(provisioning.setState("gas-1", DeviceState.COMMISSIONING));
    heard.clear();
    String csv = "id,profile,location,modbusLink,modbusUnitId\n"
        + "gas-1,p,new place,,\n"
        + "gas-2,p,,,\n"
        + "gas-3,p,,bus,3\n";

    Provisioning.ImportResult r = done(provisioning.importCsv(csv.getBytes(StandardCharsets.UTF_8), true, Messages.EN));

    assertThat(r.applied()).isTrue();
    assertThat(r.errors()).isEmpty();
    assertThat(r.created()).isEqualTo(2);
    assertThat(r.updated()).isEqualTo(1);
    assertThat(heard).as("one registry change").hasSize(1);
    assertThat(registry.get("gas-1").config().location()).isEqualTo("new place");
    assertThat(registry.get("gas-1").config().passwordHash()).as("an update keeps the password").isEqualTo(oldHash);
    assertThat(registry.get("gas-1").config().state()).as("no state column: kept").isEqualTo(DeviceState.COMMISSIONING);
    String[] lines = r.credentialsCsv().split("\r\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).isEqualTo("id,password");
    assertThat(lines[1]).startsWith("gas-2,");
    String password = lines[1].substring("gas-2,".length());
    assertThat(PasswordHash.verify(password.toCharArray(), registry.get("gas-2").config().passwordHash())).isTrue();
    assertThat(registry.get("gas-3").config().passwordHash()).isNull();

    String exported = new String(done(provisioning.exportCsv()), StandardCharsets.UTF_8);
    assertThat(exported).startsWith("\uFEFFid,profile,").contains("gas-1,p,,new place,commissioning")
        .contains("gas-3,p,,,enabled,,bus,3").doesNotContain("cfg-1").doesNotContain(password);
  }
}
