package io.commguard.gateway.profile;

/**
 * A payload that cannot be decoded: names the field (a path into the payload, or empty for the
 * whole payload) and a short machine-friendly reason used as a counter label
 * (e.g. {@code malformed_json}, {@code wrong_type}, {@code missing_field}).
 */
public class DecodeException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final String reason;

  public DecodeException(String field, String reason, String detail) {
    super(reason + (field.isEmpty() ? "" : " at " + field) + (detail == null ? "" : ": " + detail), null, false, false);
    this.field = field;
    this.reason = reason;
  }

  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }
}
