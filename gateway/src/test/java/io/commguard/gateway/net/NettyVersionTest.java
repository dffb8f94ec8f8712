package io.commguard.gateway.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.Version;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The device endpoint's MQTT decoder is Netty's; releases before 4.2.18 buffer a CONNECT of any
 * size (CVE-2026-44248). Vert.x 5.0.8 asks for 4.2.10, so a dependency change could quietly bring
 * it back: this checks the Netty artifacts actually on the class path.
 */
class NettyVersionTest {
  @Test
  void everyNettyArtifact_isAtLeast_4_2_18() {
    Map<String, Version> artifacts = Version.identify(NettyVersionTest.class.getClassLoader());
    assertThat(artifacts).containsKey("netty-codec-mqtt");
    artifacts.forEach((artifact, version) -> assertThat(atLeast(version.artifactVersion(), 4, 2, 18))
        .as("%s %s", artifact, version.artifactVersion()).isTrue());
  }

  private static boolean atLeast(String version, int major, int minor, int patch) {
    String[] parts = version.split("[.-]");
    int[] have = {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    int[] want = {major, minor, patch};
    for (int i = 0; i < 3; i++) {
      if (have[i] != want[i]) {
        return have[i] > want[i];
      }
    }
    return true;
  }
}
