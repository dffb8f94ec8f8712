package io.commguard.gateway.model;

/**
 * Where a device is installed, from the community down to the room. Every field but
 * {@code communityCode} may be empty; none is null.
 */
public record Site(String communityCode, String gridCell, String building, String unit, String floor, String room) {
  public static final Site UNKNOWN = new Site("", "", "", "", "", "");

  public Site {
    communityCode = nullToEmpty(communityCode);
    gridCell = nullToEmpty(gridCell);
    building = nullToEmpty(building);
    unit = nullToEmpty(unit);
    floor = nullToEmpty(floor);
    room = nullToEmpty(room);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
