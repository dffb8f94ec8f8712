package io.commguard.gateway.rule.spec;

import io.commguard.gateway.model.EventKind;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * A household watched for ELDERLY_NO_ACTIVITY: when none of {@code devices} reports activity of
 * one of {@code activityKinds} for {@code noActivityFor} inside the daily window {@code [from, to)}
 * (local time in {@code timeZone}; the window may span midnight), a level-2 alert is raised; the
 * next activity clears it.
 */
public record HouseholdSpec(
    String id,
    List<String> devices,
    LocalTime from,
    LocalTime to,
    Duration noActivityFor,
    Set<EventKind> activityKinds,
    ZoneId timeZone,
    String location) {

  public HouseholdSpec {
    devices = List.copyOf(devices);
    activityKinds = Set.copyOf(activityKinds);
  }
}
