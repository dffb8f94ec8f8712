package io.commguard.gateway.admin;

import java.util.Locale;

/**
 * What a user or API token may do, from least to most. A higher role may do everything a lower
 * one may: {@link #atLeast} is the only check the API makes.
 */
public enum Role {
  /** Reads everything: devices, status, profiles, maintenance windows, metrics. */
  VIEWER,
  /** Also commissions, enables and disables devices, test-reads, scans and opens maintenance windows. */
  TECHNICIAN,
  /** Also creates, changes and deletes devices and their credentials, and imports. */
  INSTALLER,
  /** Also manages users, API tokens, the audit log and reloads. */
  ADMIN;

  public boolean atLeast(Role required) {
    return compareTo(required) >= 0;
  }

  /** The lower-case word used in the API, the CLI and the database. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the known roles
   */
  public static Role parse(String word) {
    for (Role r : values()) {
      if (r.word().equals(word)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown role '" + word + "'; known roles: admin, installer, technician, viewer");
  }
}
