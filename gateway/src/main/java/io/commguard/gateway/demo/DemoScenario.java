package io.commguard.gateway.demo;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * A 30-second cycle of realistic community traffic, repeated: gas readings every second (one
 * detector ramps through a leak), a fence intrusion re-posted by the camera, an object thrown from
 * a facade, a tripwire Start/Stop, a resident passing a face gate and a door held open.
 */
final class DemoScenario {
  static final int CYCLE_SECONDS = 30;
  private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
  private static final double[] LEAK_RAMP = {3, 8, 16, 27, 34, 41, 52, 58, 49, 37, 22, 12, 5, 2};

  private final Map<String, DemoDevice> devices;
  private long serial = 1000;

  DemoScenario(Map<String, DemoDevice> devices) {
    this.devices = devices;
  }

  /** Publishes what happens in second {@code t} (counting from start). */
  void second(long t) {
    int s = (int) (t % CYCLE_SECONDS);
    gasReadings(s);
    switch (s) {
      case 2 -> camera("cam-north", "fieldDetection", "active", 1);
      case 3 -> camera("cam-north", "fieldDetection", "active", 2);
      case 4 -> camera("cam-north", "fieldDetection", "active", 3);
      case 7 -> camera("cam-north", "fieldDetection", "inactive", 4);
      case 5 -> access(75, "1");
      case 9 -> camera("cam-facade", "objectsThrownDetection", "active", 1);
      case 11 -> dahua("Start");
      case 15 -> dahua("Stop");
      case 13 -> access(28, "2");
      case 20 -> access(26, "2");
      default -> { }
    }
  }

  private void gasReadings(int s) {
    for (String id : new String[] {"gas-kitchen-101", "gas-kitchen-102", "gas-boiler"}) {
      double value = 0.5 + (s % 3) * 0.3;
      if (id.equals("gas-boiler") && s >= 8 && s < 8 + LEAK_RAMP.length) {
        value = LEAK_RAMP[s - 8];
      }
      String status = value >= 50 ? "high" : value >= 25 ? "low" : "normal";
      devices.get(id).publish("{\"imei\":\"86812030001" + id.hashCode() % 10000 + "\",\"ts\":" + System.currentTimeMillis()
          + ",\"status\":\"" + status + "\",\"gas\":{\"type\":\"CH4\",\"concentration\":" + value + "},\"battery\":87}");
    }
  }

  private void camera(String id, String eventType, String state, int postCount) {
    devices.get(id).publish("{\"ipAddress\":\"10.20.3.30\",\"macAddress\":\"bc:ad:28:00:00:30\",\"channelID\":1,"
        + "\"dateTime\":\"" + now() + "\",\"activePostCount\":" + postCount + ",\"eventType\":\"" + eventType + "\","
        + "\"eventState\":\"" + state + "\",\"eventDescription\":\"" + eventType + "\",\"channelName\":\"" + id + "\","
        + "\"DetectionRegionList\":[{\"regionID\":1,\"detectionTarget\":\"human\"}],"
        + "\"bkgUrl\":\"http://10.20.3.30/pic/" + eventType + "-" + postCount + ".jpg\"}");
  }

  private void dahua(String action) {
    devices.get("cam-gate").publish("Code=CrossLineDetection;action=" + action + ";index=0;data={\"Name\":\"Gate tripwire\","
        + "\"UTC\":" + System.currentTimeMillis() / 1000 + ",\"Object\":{\"ObjectType\":\"Human\"}}");
  }

  private void access(int minor, String door) {
    devices.get("door-b3").publish("{\"dateTime\":\"" + now() + "\",\"eventType\":\"AccessControllerEvent\","
        + "\"eventDescription\":\"Access Controller Event\",\"AccessControllerEvent\":{\"majorEventType\":5,"
        + "\"subEventType\":" + minor + ",\"doorNo\":" + door + ",\"serialNo\":" + serial++ + ","
        + "\"name\":\"Resident\",\"employeeNoString\":\"1001\",\"cardNo\":\"3204871234\"}}");
  }

  private static String now() {
    return OffsetDateTime.now(CHINA).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }
}
