package io.commguard.gateway.rule.spec;

import io.commguard.gateway.model.CanonicalType;
import java.time.Duration;

/**
 * Lifecycle settings for the alarm episodes of one canonical type (or of every type when
 * {@code type} is null, written {@code ANY} in YAML). Null fields inherit from the layer below.
 *
 * @param raiseSamples consecutive active samples needed before RAISED
 * @param raiseAfter minimum time the condition must last before RAISED
 * @param clearSamples consecutive inactive samples needed before CLEARED
 * @param clearAfter minimum time the condition must stay gone before CLEARED; a new active sample
 *     inside it continues the same episode (Start/Stop pairs)
 * @param clearOn whether a continuing (non-pulse) episode also clears after quiet time
 * @param quietClearAfter quiet time after which a pulse episode (or a {@code STOP_OR_QUIET}
 *     episode) clears
 * @param updateInterval minimum time between two UPDATED that only add evidence
 */
public record AlarmSpec(
    CanonicalType type,
    Integer raiseSamples,
    Duration raiseAfter,
    Integer clearSamples,
    Duration clearAfter,
    ClearOn clearOn,
    Duration quietClearAfter,
    Duration updateInterval) {

  /** How a continuing episode may end. */
  public enum ClearOn {
    /** Only when the device reports the condition inactive (and the clear debounce passes). */
    STOP_EVENT,
    /** When the device reports it inactive, or after quiet time with no re-post. */
    STOP_OR_QUIET
  }

  /** This spec with every field {@code over} sets replaced. */
  public AlarmSpec overriddenBy(AlarmSpec over) {
    return new AlarmSpec(
        type,
        Merge.pick(over.raiseSamples, raiseSamples),
        Merge.pick(over.raiseAfter, raiseAfter),
        Merge.pick(over.clearSamples, clearSamples),
        Merge.pick(over.clearAfter, clearAfter),
        Merge.pick(over.clearOn, clearOn),
        Merge.pick(over.quietClearAfter, quietClearAfter),
        Merge.pick(over.updateInterval, updateInterval));
  }
}
