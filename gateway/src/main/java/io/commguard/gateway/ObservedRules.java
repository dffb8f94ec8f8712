package io.commguard.gateway;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.pipeline.RuleStage;
import io.commguard.gateway.pipeline.StateChanges;
import io.commguard.gateway.status.DeviceStatusBoard;
import io.commguard.gateway.status.Outcome;
import java.time.Instant;
import java.util.List;

/**
 * The rule stage as the pipeline runs it: the rules, with each event's outcome (forwarded when it
 * made an alert, filtered when not) reported to the devices' live status, and every alert of a
 * device in commissioning flagged as a test (its events are decoded and evaluated like any other,
 * and reach the city marked so that nobody is paged). Runs under the pipeline lock, so the report
 * is a few field stores and a hand-off to the live feed's listeners.
 */
final class ObservedRules implements RuleStage {
  private final RuleStage rules;
  private final DeviceStatusBoard status;

  ObservedRules(RuleStage rules, DeviceStatusBoard status) {
    this.rules = rules;
    this.status = status;
  }

  @Override
  public List<AlertDraft> evaluate(DeviceEvent event) {
    List<AlertDraft> alerts = flagTests(rules.evaluate(event));
    status.event(event, alerts.isEmpty() ? Outcome.FILTERED : Outcome.FORWARDED);
    return alerts;
  }

  @Override
  public List<AlertDraft> tick(Instant now) {
    return flagTests(rules.tick(now));
  }

  private List<AlertDraft> flagTests(List<AlertDraft> alerts) {
    if (alerts.isEmpty() || alerts.stream().noneMatch(a -> status.commissioning(a.device().deviceId()))) {
      return alerts;
    }
    return alerts.stream().map(a -> status.commissioning(a.device().deviceId()) ? a.asTest() : a).toList();
  }

  @Override
  public StateChanges drainChanges() {
    return rules.drainChanges();
  }
}
