package io.commguard.gateway.profile.codec;

/** Payload syntax of a profile's messages. */
public enum Codec {
  JSON,
  /** XML; elements become fields, repeated elements arrays, attributes {@code @name} fields. */
  XML,
  /** {@code key=value} pairs in records, separators configurable ({@link KvOptions}). */
  KV,
  /** JSON or XML, chosen per message by its first non-blank byte ({@code <} means XML). */
  AUTO
}
