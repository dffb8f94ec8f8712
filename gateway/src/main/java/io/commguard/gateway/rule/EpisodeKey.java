package io.commguard.gateway.rule;

import io.commguard.gateway.model.CanonicalType;
import java.util.Objects;

/**
 * Identity of an alarm episode: one device, one canonical type, one vendor episode key (channel,
 * door, region; empty when the device gives none). Two devices or two types never share one.
 */
record EpisodeKey(String deviceId, CanonicalType type, String episodeKey) {
  // Written out: a record's generated equals/hashCode go through method handles, which the
  // C1-only JVM line the gateway ships with does not inline; this key is looked up per event.
  @Override
  public int hashCode() {
    return (Objects.hashCode(deviceId) * 31 + Objects.hashCode(type)) * 31 + Objects.hashCode(episodeKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EpisodeKey k && type == k.type && Objects.equals(deviceId, k.deviceId)
        && Objects.equals(episodeKey, k.episodeKey);
  }

  /** The key under which the episode is persisted. */
  String storageKey() {
    return "episode/" + deviceId + "/" + type.name() + "/" + episodeKey;
  }
}
