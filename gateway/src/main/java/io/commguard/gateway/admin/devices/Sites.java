package io.commguard.gateway.admin.devices;

import io.commguard.gateway.model.Site;
import java.util.ArrayList;
import java.util.List;

/**
 * A device's site as one text, for CSV cells, JSON and filters: {@code
 * community/grid/building/unit/floor/room}, trailing empty parts left off (e.g. {@code
 * 310115001/G-07/3/1/7F}); empty for an unknown site.
 */
final class Sites {
  private Sites() {}

  static String format(Site s) {
    List<String> parts = new ArrayList<>(List.of(s.communityCode(), s.gridCell(), s.building(), s.unit(), s.floor(), s.room()));
    while (!parts.isEmpty() && parts.get(parts.size() - 1).isEmpty()) {
      parts.remove(parts.size() - 1);
    }
    return String.join("/", parts);
  }

  /** The site {@code text} names; null when it has more than six parts. */
  static Site parse(String text) {
    if (text == null || text.isBlank()) {
      return Site.UNKNOWN;
    }
    String[] p = text.trim().split("/", -1);
    if (p.length > 6) {
      return null;
    }
    String[] s = {"", "", "", "", "", ""};
    for (int i = 0; i < p.length; i++) {
      s[i] = p[i].trim();
    }
    return new Site(s[0], s[1], s[2], s[3], s[4], s[5]);
  }
}
