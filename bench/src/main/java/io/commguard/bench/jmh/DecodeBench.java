package io.commguard.bench.jmh;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.privacy.HashKey;
import io.commguard.gateway.profile.PayloadDecoder;
import io.commguard.gateway.profile.codec.ProfilePayloadDecoder;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One shipped payload per codec, decoded by its shipped profile (the per-message cost of the ingest path). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class DecodeBench {
  @Param({"gas-json", "camera-json", "camera-xml", "access-json", "dahua-kv", "zkteco-kv"})
  public String payload;

  private PayloadDecoder decoder;
  private DeviceRef device;
  private byte[] bytes;

  @Setup
  public void setup() {
    String[] c = switch (payload) {
      case "gas-json" -> new String[] {"generic-nbiot-gas-detector", "generic/nbiot-gas-detector/cases/high-alarm/payload.json"};
      case "camera-json" -> new String[] {"hikvision-isapi-camera", "hikvision/isapi-camera/cases/json-objects-thrown/payload.json"};
      case "camera-xml" -> new String[] {"hikvision-isapi-camera", "hikvision/isapi-camera/cases/xml-videoloss-heartbeat/payload.xml"};
      case "access-json" -> new String[] {"hikvision-access-controller", "hikvision/access-controller/cases/face-granted/payload.json"};
      case "dahua-kv" -> new String[] {"dahua-ipc-event-stream", "dahua/ipc-event-stream/cases/crossline-start/payload.txt"};
      case "zkteco-kv" -> new String[] {"zkteco-access-controller-push", "zkteco/access-controller-push/cases/three-lines-one-message/payload.txt"};
      default -> throw new IllegalArgumentException(payload);
    };
    decoder = ProfilePayloadDecoder.create(Fixtures.profiles().get(c[0]), HashKey.of(new byte[HashKey.KEY_BYTES]), new Counters());
    device = Fixtures.device("dev-1", c[0]);
    bytes = Fixtures.payload(c[1]);
  }

  @Benchmark
  public List<DeviceEvent> decode() throws Exception {
    return decoder.decode(device, "devices/dev-1/event", bytes, Instant.now());
  }
}
