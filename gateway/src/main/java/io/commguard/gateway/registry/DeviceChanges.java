package io.commguard.gateway.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What one registry transaction changed, as a source or the rules see it: only active devices
 * count, so disabling a device reads as its removal and enabling it as an addition.
 *
 * @param updated the new versions of devices that stayed active and changed
 * @param passwordOnly ids among {@code updated} whose only change is the password hash
 */
public record DeviceChanges(List<RegisteredDevice> added, List<RegisteredDevice> updated, List<RegisteredDevice> removed,
    List<String> passwordOnly) {
  public static final DeviceChanges NONE = new DeviceChanges(List.of(), List.of(), List.of(), List.of());

  /** The difference between two snapshots for the devices {@code mine} selects. */
  static DeviceChanges between(Map<String, RegisteredDevice> before, Map<String, RegisteredDevice> after,
      Predicate<RegisteredDevice> mine) {
    List<RegisteredDevice> added = new ArrayList<>();
    List<RegisteredDevice> updated = new ArrayList<>();
    List<RegisteredDevice> removed = new ArrayList<>();
    List<String> passwordOnly = new ArrayList<>();
    for (RegisteredDevice now : after.values()) {
      RegisteredDevice was = before.get(now.id());
      boolean wasIn = was != null && was.active() && mine.test(was);
      boolean isIn = now.active() && mine.test(now);
      if (isIn && !wasIn) {
        added.add(now);
      } else if (!isIn && wasIn) {
        removed.add(was);
      } else if (isIn && !was.equals(now)) {
        if (!was.source().equals(now.source())) {
          removed.add(was);
          added.add(now);
          continue;
        }
        updated.add(now);
        if (was.config().withPasswordHash(null).equals(now.config().withPasswordHash(null))
            && !Objects.equals(was.config().passwordHash(), now.config().passwordHash())) {
          passwordOnly.add(now.id());
        }
      }
    }
    for (RegisteredDevice was : before.values()) {
      if (!after.containsKey(was.id()) && was.active() && mine.test(was)) {
        removed.add(was);
      }
    }
    return new DeviceChanges(List.copyOf(added), List.copyOf(updated), List.copyOf(removed), List.copyOf(passwordOnly));
  }

  /** Only the changes to devices of source {@code name}. */
  public DeviceChanges ofSource(String name) {
    return new DeviceChanges(
        added.stream().filter(d -> d.source().equals(name)).toList(),
        updated.stream().filter(d -> d.source().equals(name)).toList(),
        removed.stream().filter(d -> d.source().equals(name)).toList(),
        updated.stream().filter(d -> d.source().equals(name) && passwordOnly.contains(d.id())).map(RegisteredDevice::id).toList());
  }

  public boolean isEmpty() {
    return added.isEmpty() && updated.isEmpty() && removed.isEmpty();
  }
}
