package io.commguard.gateway.source.mqtt;

import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.privacy.HashKey;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.profile.PayloadDecoder;
import io.commguard.gateway.profile.codec.ProfilePayloadDecoder;
import io.commguard.gateway.registry.DeviceChanges;
import io.commguard.gateway.registry.RegisteredDevice;
import io.commguard.gateway.topic.TopicFilter;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The MQTT devices in service, looked up by id on every login and publish: an unmodifiable map
 * replaced on each registry change, so a lookup never waits. It is a {@link HashMap}, not {@code
 * Map.copyOf}: ids that differ in their last characters ({@code gas-00001}, {@code gas-00002}, as an
 * import makes them) have neighbouring hash codes, which cluster in the immutable map's linear
 * probing, so building it for thousands of devices and each lookup in it get slow. Listeners hear
 * which devices must be disconnected (removed, disabled, or changed in anything but the password).
 */
public final class MqttDevices {
  /** The device key that sets the topic filter a device may publish under. */
  public static final String TOPIC_KEY = "topic";

  private final Function<DeviceConfig, DeviceBinding> binder;
  private final List<Consumer<Set<String>>> disconnectListeners = new CopyOnWriteArrayList<>();
  private volatile Map<String, DeviceBinding> bindings;

  /** @param binder how a registry entry becomes a binding (decoder, topic filter) */
  MqttDevices(Map<String, DeviceBinding> initial, Function<DeviceConfig, DeviceBinding> binder) {
    this.binder = binder;
    this.bindings = Collections.unmodifiableMap(new HashMap<>(initial));
  }

  /** The registry's MQTT devices, each decoded by its profile's {@code decode} section. */
  static MqttDevices of(Collection<RegisteredDevice> devices, Map<String, DeviceProfile> profiles, HashKey hashKey,
      Counters counters) {
    Map<String, PayloadDecoder> decoders = new ConcurrentHashMap<>();
    Function<DeviceConfig, DeviceBinding> binder = d -> {
      DeviceProfile profile = profiles.get(d.profile());
      PayloadDecoder decoder = decoders.computeIfAbsent(d.profile(), id -> ProfilePayloadDecoder.create(profile, hashKey, counters));
      DeviceRef ref = new DeviceRef(d.id(), d.profile(), profile.vendor() + " " + profile.model(), d.site(), d.location());
      return new DeviceBinding(ref, decoder, new TopicFilter(topicFilter(d)), d.passwordHash());
    };
    Map<String, DeviceBinding> initial = new HashMap<>();
    devices.forEach(d -> initial.put(d.id(), binder.apply(d.config())));
    return new MqttDevices(initial, binder);
  }

  /** The device {@code id} if it is an MQTT device in service, else null. */
  public DeviceBinding get(String id) {
    return bindings.get(id);
  }

  /** The password hashes of the devices in service (their cost sets the stand-in check's). */
  public List<String> passwordHashes() {
    return bindings.values().stream().map(DeviceBinding::passwordHash).filter(java.util.Objects::nonNull).toList();
  }

  /** Called with the ids whose sessions must close, on the registry thread, until the returned action runs. */
  public Runnable onDisconnect(Consumer<Set<String>> listener) {
    disconnectListeners.add(listener);
    return () -> disconnectListeners.remove(listener);
  }

  /** Applies this source's share of a registry change. */
  void apply(DeviceChanges changes) {
    Map<String, DeviceBinding> next = new HashMap<>(bindings);
    changes.removed().forEach(d -> next.remove(d.id()));
    changes.added().forEach(d -> next.put(d.id(), binder.apply(d.config())));
    changes.updated().forEach(d -> next.put(d.id(), binder.apply(d.config())));
    bindings = Collections.unmodifiableMap(next);
    Set<String> disconnect = new java.util.HashSet<>();
    changes.removed().forEach(d -> disconnect.add(d.id()));
    changes.updated().stream().map(RegisteredDevice::id).filter(id -> !changes.passwordOnly().contains(id))
        .forEach(disconnect::add);
    if (!disconnect.isEmpty()) {
      disconnectListeners.forEach(l -> l.accept(Set.copyOf(disconnect)));
    }
  }

  /** The topic filter a device may publish under: its {@code topic} key, else {@code devices/<id>/#}. */
  static String topicFilter(DeviceConfig d) {
    String topic = d.binding(TOPIC_KEY) == null ? null : d.binding(TOPIC_KEY).asText(null);
    return topic == null || topic.isBlank() ? "devices/" + d.id() + "/#" : topic;
  }
}
