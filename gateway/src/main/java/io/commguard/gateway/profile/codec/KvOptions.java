package io.commguard.gateway.profile.codec;

import java.util.Set;

/**
 * Separators of the {@code kv} codec. Each record becomes one event. Defaults match Dahua event
 * lines ({@code Code=VideoMotion;action=Start;index=0}); ZKTeco push lines use
 * {@code pairSeparator: "\t"}.
 *
 * @param recordSeparator between records (default newline)
 * @param pairSeparator between pairs of one record (default {@code ;})
 * @param keyValueSeparator between a key and its value (default {@code =})
 * @param jsonValueKeys keys whose value is embedded JSON (Dahua {@code data={...}}), parsed as a
 *     nested tree and allowed to span lines and contain separators
 */
public record KvOptions(String recordSeparator, String pairSeparator, String keyValueSeparator, Set<String> jsonValueKeys) {
  public static final KvOptions DEFAULTS = new KvOptions("\n", ";", "=", Set.of());

  public KvOptions {
    jsonValueKeys = Set.copyOf(jsonValueKeys);
  }
}
