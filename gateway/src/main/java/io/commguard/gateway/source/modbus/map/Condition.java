package io.commguard.gateway.source.modbus.map;

import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.EventKind;
import java.util.List;

/**
 * A device condition read from status words: warm-up, low alarm, high alarm, a fault. Active while
 * every clause holds. A change of activity becomes a {@code DeviceEvent} with phase ACTIVE or
 * INACTIVE.
 *
 * @param id stable id, e.g. {@code low_alarm}
 * @param episode the event's episode key; conditions sharing one are one episode whose level is the
 *     first active one's in profile order (a gas detector's low and high alarm: one hazard, one
 *     work order). Defaults to the id.
 * @param state device state while this condition is active ({@code WARM_UP}, {@code LOW_ALARM}...);
 *     the device's state is that of the first active condition in profile order, else NORMAL
 * @param nativeCode the native bit/code kept verbatim on the event; defaults to the clauses
 * @param nativeCodeFrom name of a point (a fault number) whose raw value is appended to the native
 *     code, or empty
 */
public record Condition(
    String id,
    String episode,
    String state,
    EventKind kind,
    CanonicalType type,
    int level,
    List<Clause> when,
    String nativeCode,
    String nativeCodeFrom,
    String description) {

  public Condition {
    when = List.copyOf(when);
  }
}
