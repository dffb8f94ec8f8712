package io.commguard.gateway.privacy;

/** What a profile does with one mapped payload field before it leaves the decoder. */
public enum Privacy {
  /** Forwarded as is. For a personal-data field this needs an explicit justification. */
  FORWARD,
  /** Replaced by its keyed hash ({@link HashKey#hash(String)}): stable per gateway, not reversible. */
  HASH,
  /** Declared in the profile but never read into the event. */
  DROP
}
