package io.commguard.gateway.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.Site;
import io.commguard.gateway.registry.DeviceChanges;
import io.commguard.gateway.registry.Origin;
import io.commguard.gateway.registry.RegisteredDevice;
import io.commguard.gateway.security.VerifiedPasswords;
import io.commguard.gateway.topic.TopicFilter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which registry changes make a device's remembered login lapse. */
class MqttSourceTest {
  private static final char[] PASSWORD = "device-secret-1".toCharArray();
  private static final String HASH = "stored-hash-1";

  private final VerifiedPasswords verified = new VerifiedPasswords();
  private final MqttDevices devices = new MqttDevices(Map.of("gas-1", binding(gas("Kitchen", HASH))), MqttSourceTest::binding);

  private static DeviceConfig gas(String location, String hash) {
    return new DeviceConfig("gas-1", "generic-nbiot-gas-detector", hash, Site.UNKNOWN, location);
  }

  private static DeviceBinding binding(DeviceConfig d) {
    return new DeviceBinding(new DeviceRef(d.id(), d.profile(), "", d.site(), d.location()), null,
        new TopicFilter("devices/" + d.id() + "/#"), d.passwordHash());
  }

  private static RegisteredDevice registered(DeviceConfig d) {
    return new RegisteredDevice(d, "mqtt", Origin.RUNTIME);
  }

  private void apply(DeviceChanges changes) {
    MqttSource.forgetChangedLogins(changes, devices, verified);
    devices.apply(changes);
  }

  @Test
  void forgetChangedLogins_locationChanged_keepsTheRememberedLogin() {
    verified.remember("gas-1", PASSWORD, HASH);

    apply(new DeviceChanges(List.of(), List.of(registered(gas("Hall", HASH))), List.of(), List.of()));

    assertThat(verified.known("gas-1", PASSWORD, HASH)).isTrue();
  }

  @Test
  void forgetChangedLogins_passwordChanged_forgetsIt() {
    verified.remember("gas-1", PASSWORD, HASH);

    apply(new DeviceChanges(List.of(), List.of(registered(gas("Hall", "stored-hash-2"))), List.of(), List.of()));

    assertThat(verified.size()).isZero();
  }

  @Test
  void forgetChangedLogins_removedOrDisabled_forgetsIt() {
    verified.remember("gas-1", PASSWORD, HASH);

    apply(new DeviceChanges(List.of(), List.of(), List.of(registered(gas("Kitchen", HASH))), List.of()));

    assertThat(verified.size()).isZero();
  }
}
