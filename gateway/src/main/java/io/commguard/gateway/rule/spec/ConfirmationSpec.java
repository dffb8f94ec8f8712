package io.commguard.gateway.rule.spec;

import java.time.Duration;

/**
 * Cross-device confirmation of GAS_LEAK (GB 16808-2025): with {@code TWO_DETECTORS}, a level-1 gas
 * alarm needs a second detector of the same zone active within {@code within}; alone it is raised
 * at {@code unconfirmedLevel}.
 */
public record ConfirmationSpec(Mode mode, Duration within, Integer unconfirmedLevel) {

  public enum Mode {
    OFF,
    TWO_DETECTORS
  }

  public ConfirmationSpec overriddenBy(ConfirmationSpec over) {
    return new ConfirmationSpec(Merge.pick(over.mode, mode), Merge.pick(over.within, within),
        Merge.pick(over.unconfirmedLevel, unconfirmedLevel));
  }
}
