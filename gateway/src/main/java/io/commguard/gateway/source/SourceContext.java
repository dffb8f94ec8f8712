package io.commguard.gateway.source;

import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.evidence.EvidenceStore;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.privacy.HashKey;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.registry.RegisteredDevice;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * What a source starts with.
 *
 * @param devices this source's devices in service at start
 * @param eventLoops how many event loops a network listener should spread over
 * @param evidence where pictures that come with events go (kept or dropped, as configured)
 */
public record SourceContext(GatewayConfig config, List<RegisteredDevice> devices, Map<String, DeviceProfile> profiles,
    Ingest ingest, Vertx vertx, int eventLoops, HashKey hashKey, Counters counters, Clock clock, EvidenceStore evidence) {}
