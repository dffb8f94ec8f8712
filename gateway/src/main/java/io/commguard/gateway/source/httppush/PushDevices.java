package io.commguard.gateway.source.httppush;

import io.commguard.gateway.config.ConfigSections;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.privacy.HashKey;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.profile.PayloadDecoder;
import io.commguard.gateway.profile.codec.ProfilePayloadDecoder;
import io.commguard.gateway.registry.DeviceChanges;
import io.commguard.gateway.registry.RegisteredDevice;
import io.commguard.gateway.validation.ProblemCollector;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The push devices in service, looked up on every request by path and source address: immutable
 * maps replaced on each registry change, so a lookup never waits.
 */
final class PushDevices {
  /** The device key that binds a device to the push listener. */
  static final String KEY = "httpPush";

  /** A push device in service: who it is, how to decode it, how it is recognised. */
  record Device(DeviceRef ref, PayloadDecoder decoder, PushBinding binding, String passwordHash) {
    String id() {
      return ref.deviceId();
    }
  }

  private record Lookup(Map<String, Device> byPath, Map<String, Device> byAddressOnly, Map<String, Device> byId) {}

  private final Function<DeviceConfig, Device> binder;
  /** Devices whose push was accepted since start; bounded by the devices in service. */
  private final java.util.Set<String> heard = ConcurrentHashMap.newKeySet();
  private volatile Lookup lookup;

  private PushDevices(Collection<RegisteredDevice> devices, Function<DeviceConfig, Device> binder) {
    this.binder = binder;
    Map<String, Device> byId = new HashMap<>();
    devices.forEach(d -> byId.put(d.id(), binder.apply(d.config())));
    this.lookup = index(byId);
  }

  static PushDevices of(Collection<RegisteredDevice> devices, Map<String, DeviceProfile> profiles, HashKey hashKey,
      Counters counters) {
    Map<String, PayloadDecoder> decoders = new ConcurrentHashMap<>();
    return new PushDevices(devices, d -> {
      DeviceProfile profile = profiles.get(d.profile());
      PayloadDecoder decoder = decoders.computeIfAbsent(d.profile(), id -> ProfilePayloadDecoder.create(profile, hashKey, counters));
      DeviceRef ref = new DeviceRef(d.id(), d.profile(), profile.vendor() + " " + profile.model(), d.site(), d.location());
      return new Device(ref, decoder, binding(d), d.passwordHash());
    });
  }

  /** A device's {@code httpPush} key as read; null when it has a problem (validation reports it). */
  static PushBinding binding(DeviceConfig d) {
    return ConfigSections.read(d.binding(KEY), PushBinding.class, KEY, new ProblemCollector("config"));
  }

  /**
   * The device a request is from: the one bound to its path (when that device also names an
   * address, the request must come from it), else the one bound to its source address alone; null
   * for an unknown sender.
   */
  Device find(String path, String address) {
    Lookup l = lookup;
    Device byPath = l.byPath.get(path);
    if (byPath != null) {
      String expected = byPath.binding().address();
      return expected == null || expected.equals(address) ? byPath : null;
    }
    return l.byAddressOnly.get(address);
  }

  /** The device {@code id} if it is still in service as the same entry, else null. */
  Device get(String id) {
    return lookup.byId.get(id);
  }

  /** True the first time a push of this device is accepted since start (worth one log line for the installer). */
  boolean firstHeard(String id) {
    return heard.add(id);
  }

  void apply(DeviceChanges changes) {
    changes.removed().forEach(d -> heard.remove(d.id()));
    Map<String, Device> byId = new HashMap<>(lookup.byId);
    changes.removed().forEach(d -> byId.remove(d.id()));
    changes.added().forEach(d -> byId.put(d.id(), binder.apply(d.config())));
    changes.updated().forEach(d -> byId.put(d.id(), binder.apply(d.config())));
    lookup = index(byId);
  }

  private static Lookup index(Map<String, Device> byId) {
    Map<String, Device> byPath = new HashMap<>();
    Map<String, Device> byAddress = new HashMap<>();
    for (Device d : byId.values()) {
      if (d.binding() == null) {
        continue;
      }
      if (d.binding().path() != null) {
        byPath.put(d.binding().path(), d);
      } else if (d.binding().address() != null) {
        byAddress.put(d.binding().address(), d);
      }
    }
    return new Lookup(Map.copyOf(byPath), Map.copyOf(byAddress), Map.copyOf(byId));
  }
}
