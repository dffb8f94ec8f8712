package io.commguard.gateway.rule;

import io.commguard.gateway.model.CanonicalType;

/**
 * Identity of an alarm episode: one device, one canonical type, one vendor episode key (channel,
 * door, region; empty when the device gives none). Two devices or two types never share one.
 */
record EpisodeKey(String deviceId, CanonicalType type, String episodeKey) {
  /** The key under which the episode is persisted. */
  String storageKey() {
    return "episode/" + deviceId + "/" + type.name() + "/" + episodeKey;
  }
}
