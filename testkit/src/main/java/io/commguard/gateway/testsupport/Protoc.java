package io.commguard.gateway.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code protoc --decode}: an independent reading of uplink bytes from the {@code .proto}
 * file alone, not from the Java classes generated from it.
 */
public final class Protoc {
  private Protoc() {}

  /**
   * The text form of {@code bytes} as {@code commguard.alert.v1.<message>}, read with the gateway
   * module's {@code src/main/proto} (or the {@code proto.dir} system property).
   *
   * @throws IOException when protoc cannot run or rejects the bytes (its output is the message)
   */
  public static String decode(String message, byte[] bytes, Path scratch) throws IOException, InterruptedException {
    Path protoDir = Path.of(System.getProperty("proto.dir", "src/main/proto"));
    Path in = Files.createTempFile(scratch, "protoc", ".bin");
    Files.write(in, bytes);
    Process protoc = new ProcessBuilder("protoc", "--decode=commguard.alert.v1." + message,
        "--proto_path=" + protoDir, "commguard/alert/v1/alert.proto")
        .redirectInput(in.toFile())
        .redirectErrorStream(true)
        .start();
    String text = new String(protoc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!protoc.waitFor(30, TimeUnit.SECONDS) || protoc.exitValue() != 0) {
      protoc.destroyForcibly();
      throw new IOException("protoc could not decode " + message + ": " + text);
    }
    return text;
  }
}
