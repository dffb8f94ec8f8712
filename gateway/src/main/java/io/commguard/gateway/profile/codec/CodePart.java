package io.commguard.gateway.profile.codec;

/**
 * One part of a native code and how it is written in the code table: Hikvision access events are
 * {@code major/minor} with the minor in hex ({@code 5/0x1b}) although the payload sends decimals.
 */
public record CodePart(FieldPath path, Format format) {
  public enum Format {
    /** The value verbatim. */
    TEXT,
    /** An integer written in decimal. */
    DECIMAL,
    /** An integer written as {@code 0x} and lowercase hex digits. */
    HEX
  }
}
