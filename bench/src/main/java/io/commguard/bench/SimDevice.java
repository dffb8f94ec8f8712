package io.commguard.bench;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What one simulated device says next. The payload shapes are those of the demo scenario and the
 * shipped profile cases: a gas detector reports every time it is asked (mostly {@code normal}; one
 * report in {@code 1/alarmRatio} is {@code high} and the next one clears it), a camera sends keep-alive
 * heartbeats with an intrusion burst (three re-posts, then inactive) now and then, an access
 * controller reports residents passing. Each device starts at its own point of these cycles (from its
 * id), so a fleet's alarms are spread over time as a community's are; in phase, a 1,000-device
 * fleet at 10 % would raise 700 alarms in one second and clear them in the next, every ten seconds.
 *
 * <p>Latency tagging: a gas report that is expected to produce an alert (the {@code high} that
 * raises and the {@code normal} that clears) carries a unique sequence number in {@code
 * signal.rssi}, which the profile maps to the {@code rssi} measurement the alert carries; the
 * generator remembers when it sent each tagged report. Not thread-safe: one device is driven by
 * one event loop.
 */
final class SimDevice {
  private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  final String id;
  final DeviceKind kind;
  final String topic;
  private final int alarmEvery;
  /** Where in its alarm cycle the device starts, so that a fleet's alarms are spread in time. */
  private final int alarmPhase;
  private final String raiseStatus;
  private long n;
  private boolean alarmOpen;
  private long accessSerial = 1;
  private final SecondClock clock = new SecondClock();

  /** The next payload and, when it should produce a latency-tracked alert, its tag (else -1). */
  record Next(byte[] payload, long tag, boolean expectsAlert) {}

  SimDevice(String id, DeviceKind kind, double alarmRatio) {
    this(id, kind, alarmRatio, "high");
  }

  /** @param raiseStatus the gas status that raises: {@code high} (a level-1 alarm) or {@code low} (level 2) */
  SimDevice(String id, DeviceKind kind, double alarmRatio, String raiseStatus) {
    this.raiseStatus = raiseStatus;
    this.id = id;
    this.kind = kind;
    this.topic = "devices/" + id + "/event";
    this.alarmEvery = alarmRatio <= 0 ? Integer.MAX_VALUE : Math.max(2, (int) Math.round(1 / alarmRatio));
    this.alarmPhase = alarmRatio <= 0 ? 0 : Math.floorMod(id.hashCode(), alarmEvery);
  }

  /** A gas detector whose alarms are level 1 ({@code high}), or any device that raises no lower-level alarm. */
  boolean raisesLevelOne() {
    return kind != DeviceKind.GAS || raiseStatus.equals("high");
  }

  Next next(long tag) {
    long i = n++;
    return switch (kind) {
      case GAS -> gas(i, tag);
      case CAMERA -> camera(i);
      case ACCESS -> new Next(bytes(access()), -1, false);
    };
  }

  private Next gas(long i, long tag) {
    boolean raise = !alarmOpen && (i + alarmPhase) % alarmEvery == alarmEvery - 1;
    boolean clear = alarmOpen;
    alarmOpen = raise;
    String status = raise ? raiseStatus : "normal";
    double value = raise ? 52.0 : 0.5 + (i % 3) * 0.3;
    boolean tagged = raise || clear;
    long rssi = tagged ? tag : -71;
    String json = "{\"imei\":\"8681203" + id.hashCode() % 100000 + "\",\"ts\":" + System.currentTimeMillis()
        + ",\"status\":\"" + status + "\",\"gas\":{\"type\":\"CH4\",\"concentration\":" + value
        + "},\"battery\":87,\"signal\":{\"rssi\":" + rssi + "}}";
    return new Next(bytes(json), tagged ? tag : -1, tagged);
  }

  /** A heartbeat most of the time; every 50th report starts a burst: active, 2 re-posts, inactive. */
  private Next camera(long i) {
    int phase = (int) ((i + Math.floorMod(id.hashCode(), 50)) % 50);
    if (phase > 3) {
      return new Next(bytes(heartbeat()), -1, false);
    }
    String state = phase == 3 ? "inactive" : "active";
    String json = "{\"ipAddress\":\"10.20.3.30\",\"macAddress\":\"bc:ad:28:00:00:30\",\"channelID\":1,"
        + "\"dateTime\":\"" + now() + "\",\"activePostCount\":" + (phase + 1) + ",\"eventType\":\"fieldDetection\","
        + "\"eventState\":\"" + state + "\",\"eventDescription\":\"fieldDetection\",\"channelName\":\"" + id + "\","
        + "\"DetectionRegionList\":[{\"regionID\":1,\"detectionTarget\":\"human\"}],"
        + "\"bkgUrl\":\"http://10.20.3.30/pic/field-" + i + ".jpg\"}";
    return new Next(bytes(json), -1, phase == 0 || phase == 3);
  }

  private String heartbeat() {
    return "<EventNotificationAlert version=\"2.0\" xmlns=\"http://www.hikvision.com/ver20/XMLSchema\">"
        + "<ipAddress>192.168.1.64</ipAddress><portNo>80</portNo><protocol>HTTP</protocol>"
        + "<macAddress>44:19:b6:6d:24:85</macAddress><channelID>1</channelID>"
        + "<dateTime>" + clock.local() + "</dateTime>"
        + "<activePostCount>0</activePostCount><eventType>videoloss</eventType>"
        + "<eventState>inactive</eventState><eventDescription>videoloss alarm</eventDescription>"
        + "</EventNotificationAlert>";
  }

  private String access() {
    return "{\"dateTime\":\"" + now() + "\",\"eventType\":\"AccessControllerEvent\","
        + "\"eventDescription\":\"Access Controller Event\",\"AccessControllerEvent\":{\"majorEventType\":5,"
        + "\"subEventType\":75,\"doorNo\":1,\"serialNo\":" + accessSerial++ + ","
        + "\"name\":\"Resident\",\"employeeNoString\":\"1001\",\"cardNo\":\"3204871234\"}}";
  }

  private String now() {
    return clock.offset();
  }

  /**
   * The device's clock text, formatted once per second: the generator shares the box with the
   * peer under test, so it should not spend a date formatting per message.
   */
  private static final class SecondClock {
    private long second = Long.MIN_VALUE;
    private String offset;
    private String local;

    private void tick() {
      long now = System.currentTimeMillis() / 1000;
      if (now != second) {
        second = now;
        OffsetDateTime t = OffsetDateTime.now(CHINA).withNano(0);
        offset = t.format(ISO);
        local = t.toLocalDateTime().toString();
      }
    }

    String offset() {
      tick();
      return offset;
    }

    String local() {
      tick();
      return local;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
