package io.commguard.gateway.northbound;

import io.commguard.gateway.config.GatewayConfig;
import java.util.List;

/**
 * One kind of northbound (a transport), registered with one line in the boot package's {@code
 * Northbounds}. It reads its own config section; the loader has validated it already.
 */
public interface NorthboundKind {
  /** The northbounds of this kind the config asks for; empty when its section is absent. No I/O. */
  List<Northbound> configured(GatewayConfig config);
}
