package io.commguard.gateway.rule.spec;

import io.commguard.gateway.model.Site;
import java.util.List;

/**
 * A place in the site hierarchy written {@code community/building/unit/floor/room}, e.g. {@code
 * 310115001/B3} for building B3 of community 310115001. It covers every device whose site starts
 * with these segments.
 */
public record SitePath(List<String> segments) {
  public SitePath {
    segments = List.copyOf(segments);
    if (segments.isEmpty() || segments.size() > 5 || segments.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("a site path has 1 to 5 non-empty segments separated by /");
    }
  }

  /** Parses {@code 310115001/B3}; throws IllegalArgumentException with a readable reason. */
  public static SitePath parse(String text) {
    return new SitePath(List.of(text.trim().split("/", -1)));
  }

  public boolean covers(Site site) {
    List<String> actual = List.of(site.communityCode(), site.building(), site.unit(), site.floor(), site.room());
    for (int i = 0; i < segments.size(); i++) {
      if (!segments.get(i).equals(actual.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** The site this path names, with unnamed levels empty. */
  public Site toSite() {
    String[] s = {"", "", "", "", ""};
    for (int i = 0; i < segments.size(); i++) {
      s[i] = segments.get(i);
    }
    return new Site(s[0], "", s[1], s[2], s[3], s[4]);
  }

  @Override
  public String toString() {
    return String.join("/", segments);
  }
}
