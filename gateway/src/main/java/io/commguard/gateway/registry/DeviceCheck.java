package io.commguard.gateway.registry;

import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.validation.ProblemCollector;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The checks a device must pass before the registry takes it, the same ones a config file's
 * devices pass: a known profile, one source's binding keys, that source's rules (a Modbus unit id
 * free on its link, ...).
 */
public interface DeviceCheck {
  /**
   * Checks the registry's whole prospective device list.
   *
   * @param pathOf how problems name the device at an index ({@code devices[3]} in a file)
   * @return the source name of each device, in list order; null entries where a device failed
   */
  List<String> check(List<DeviceConfig> devices, IntFunction<String> pathOf, ProblemCollector problems);
}
