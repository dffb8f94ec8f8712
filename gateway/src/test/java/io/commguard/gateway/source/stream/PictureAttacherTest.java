package io.commguard.gateway.source.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.config.EvidenceConfig;
import io.commguard.gateway.config.EvidenceConfig.Keep;
import io.commguard.gateway.evidence.EvidenceStore;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Evidence;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.profile.DecodeException;
import io.commguard.gateway.source.stream.MultipartParser.Disposition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hold-and-attach logic of stream pictures with a real evidence store on a temporary folder, a
 * timer fired by the test and the store's answers run where they arrive.
 */
class PictureAttacherTest {
  private static final Map<String, String> JPEG = Map.of("content-type", "image/jpeg");
  private static final DeviceRef CAM = new DeviceRef("cam-1", "hikvision-isapi-camera", "cam", null, null);

  @TempDir Path dataDir;
  private final Counters counters = new Counters();
  private final AtomicLong buffered = new AtomicLong();
  private final List<Runnable> timers = new ArrayList<>();
  private final List<List<DeviceEvent>> handed = new CopyOnWriteArrayList<>();
  private final List<String> rejected = new CopyOnWriteArrayList<>();
  private EvidenceStore store;

  @AfterEach
  void close() {
    store.close();
  }

  private PictureAttacher attacher(EvidenceConfig config) throws Exception {
    store = EvidenceStore.open(config, dataDir, counters, Clock.systemUTC());
    PictureAttacher.Timers manual = new PictureAttacher.Timers() {
      @Override
      public long start(long delayMs, Runnable action) {
        timers.add(action);
        return timers.size() - 1;
      }

      @Override
      public void cancel(long id) {
        timers.set((int) id, () -> { });
      }
    };
    return new PictureAttacher("cam-1", store, 1000, store.maxPictureBytes(), buffered, counters, manual, Runnable::run,
        (bytes, decoding) -> {
          try {
            handed.add(decoding.decode());
          } catch (DecodeException e) {
            rejected.add(e.reason());
          }
        });
  }

  @Test
  void keep_pictureAfterItsEvent_isStoredAndReferenced_whenTheNextPartComes() throws Exception {
    PictureAttacher a = attacher(new EvidenceConfig(Keep.KEEP, null, null, null, null));
    byte[] jpeg = jpeg(5000);

    a.event(100, () -> List.of(event(CanonicalType.PERIMETER_INTRUSION, "fielddetection")));
    assertThat(handed).as("held for its pictures").isEmpty();
    assertThat(a.picture(Map.of("content-type", "image/jpeg", "content-length", "5000")).maxBytes()).isEqualTo(5000);
    assertThat(buffered.get()).isEqualTo(5000);
    a.picture(JPEG, jpeg);
    assertThat(buffered.get()).isZero();
    a.event(100, () -> List.of(event(CanonicalType.PERIMETER_INTRUSION, "linedetection")));

    await().atMost(Duration.ofSeconds(5)).until(() -> handed.size() == 1);
    List<Evidence> evidence = handed.get(0).get(0).evidence();
    assertThat(evidence).singleElement().satisfies(e -> assertThat(e.kind()).isEqualTo("image"));
    Path file = dataDir.resolve("evidence").resolve(evidence.get(0).ref().substring(EvidenceStore.REF_PREFIX.length()));
    assertThat(Files.readAllBytes(file)).isEqualTo(jpeg);
    assertThat(counters.get("pictures_kept", "cam-1", null)).isEqualTo(1);
    assertThat(a.pending()).as("the second event is held").isEqualTo(1);
  }

  @Test
  void keep_heldEventGoesOnAtTheTimeLimit_andALatePictureIsDropped() throws Exception {
    PictureAttacher a = attacher(new EvidenceConfig(Keep.KEEP, null, null, null, null));
    a.event(100, () -> List.of(event(CanonicalType.PERIMETER_INTRUSION, "fielddetection")));
    assertThat(a.picture(JPEG).maxBytes()).as("no length: up to the store's limit").isEqualTo(store.maxPictureBytes());

    timers.get(0).run();

    assertThat(handed).singleElement().satisfies(events -> assertThat(events.get(0).evidence()).isEmpty());
    a.picture(JPEG, jpeg(100));
    assertThat(counters.get("pictures_dropped", "cam-1", "late")).isEqualTo(1);
    assertThat(buffered.get()).isZero();
    assertThat(a.picture(JPEG)).isEqualTo(Disposition.DISCARD);
    assertThat(counters.get("pictures_dropped", "cam-1", "no_event")).isEqualTo(1);

    DeviceEvent ended = event(CanonicalType.VIDEO_LOSS, "videoloss");
    a.event(100, () -> List.of(new DeviceEvent(CAM, EventKind.ALARM, CanonicalType.VIDEO_LOSS, 3, Phase.INACTIVE,
        "videoloss", ended.deviceTime(), ended.receivedAt(), "1", List.of(), List.of(), Map.of(), "")));
    assertThat(handed).as("an end or keep-alive is not held").hasSize(2);
    assertThat(a.picture(JPEG)).isEqualTo(Disposition.DISCARD);
    assertThat(counters.get("pictures_dropped", "cam-1", "no_event")).isEqualTo(2);
  }

  @Test
  void keep_bounds_tooManyTooLargeBusy_andFacesStayOffByDefault() throws Exception {
    PictureAttacher a = attacher(new EvidenceConfig(Keep.KEEP, null, null, 10_000, null));
    a.event(100, () -> List.of(event(CanonicalType.ACCESS_DENIED, "5/0x4c")));
    assertThat(a.picture(Map.of("content-type", "image/jpeg", "content-length", "10001"))).isEqualTo(Disposition.DISCARD);
    for (int i = 0; i < PictureAttacher.MAX_PICTURES; i++) {
      a.picture(JPEG);
      a.picture(JPEG, jpeg(500));
    }
    assertThat(a.picture(JPEG)).isEqualTo(Disposition.DISCARD);
    buffered.set(PictureAttacher.MAX_BUFFERED_BYTES);
    a.release();
    a.event(100, () -> List.of(event(CanonicalType.PERIMETER_INTRUSION, "fielddetection")));
    assertThat(a.picture(JPEG)).isEqualTo(Disposition.DISCARD);

    assertThat(counters.get("pictures_dropped", "cam-1", "too_large")).isEqualTo(1);
    assertThat(counters.get("pictures_dropped", "cam-1", "too_many")).isEqualTo(1);
    assertThat(counters.get("pictures_dropped", "cam-1", "busy")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> handed.size() == 1);
    assertThat(counters.get("pictures_dropped", "cam-1", "face")).isEqualTo(PictureAttacher.MAX_PICTURES);
    assertThat(handed.get(0).get(0).evidence()).isEmpty();
  }

  @Test
  void keep_eventsLeaveInArrivalOrder_andARejectedEventHoldsNothing() throws Exception {
    PictureAttacher a = attacher(new EvidenceConfig(Keep.KEEP, null, null, null, null));
    a.event(100, () -> List.of(event(CanonicalType.PERIMETER_INTRUSION, "first")));
    a.picture(JPEG);
    a.picture(JPEG, jpeg(2_000_000));
    a.event(100, () -> List.of(event(CanonicalType.PERIMETER_INTRUSION, "second")));
    a.event(100, () -> {
      throw new DecodeException("eventType", "malformed_xml", "not XML");
    });
    a.streamEnded();

    await().atMost(Duration.ofSeconds(5)).until(() -> handed.size() == 2 && rejected.size() == 1);
    assertThat(handed.get(0).get(0).nativeCode()).isEqualTo("first");
    assertThat(handed.get(0).get(0).evidence()).hasSize(1);
    assertThat(handed.get(1).get(0).nativeCode()).isEqualTo("second");
    assertThat(rejected).containsExactly("malformed_xml");
    assertThat(a.picture(JPEG)).isEqualTo(Disposition.DISCARD);
    assertThat(a.pending()).isZero();
  }

  @Test
  void drop_theDefault_holdsNothing_andCountsEveryPictureNotKept() throws Exception {
    PictureAttacher a = attacher(EvidenceConfig.DEFAULTS);
    a.event(100, () -> List.of(event(CanonicalType.PERIMETER_INTRUSION, "fielddetection")));
    assertThat(handed).hasSize(1);
    assertThat(a.picture(JPEG)).isEqualTo(Disposition.DISCARD);
    assertThat(counters.get("pictures_dropped", "cam-1", "not_kept")).isEqualTo(1);
    assertThat(timers).isEmpty();
    assertThat(dataDir.resolve("evidence")).doesNotExist();
  }

  private static DeviceEvent event(CanonicalType type, String code) {
    Instant now = Instant.parse("2026-11-27T10:00:00Z");
    EventKind kind = type == CanonicalType.ACCESS_DENIED ? EventKind.ACCESS : EventKind.ALARM;
    return new DeviceEvent(CAM, kind, type, 2, Phase.ACTIVE, code, now, now, "1", List.of(), List.of(), Map.of(), "");
  }

  private static byte[] jpeg(int size) {
    byte[] b = new byte[size];
    b[0] = (byte) 0xFF;
    b[1] = (byte) 0xD8;
    b[2] = (byte) 0xFF;
    return b;
  }
}
