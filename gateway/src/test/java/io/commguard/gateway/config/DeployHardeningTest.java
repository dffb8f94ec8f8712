package io.commguard.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped systemd unit and Dockerfile keep their hardening. */
class DeployHardeningTest {
  private static final Path DEPLOY = Path.of(System.getProperty("deploy.dir", "../deploy"));
  private static final double MAX_EXPOSURE = 2.0;

  @Test
  void systemdUnit_scoresAtMost2_inSystemdAnalyzeSecurity(@TempDir Path dir) throws Exception {
    Path tool = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(Files.isExecutable(tool), "systemd-analyze is not installed here (systemd hosts only); the unit's "
        + "score is then not checked");
    Path unit = dir.resolve("commguard-gateway.service");
    Files.copy(DEPLOY.resolve("commguard-gateway.service"), unit);
    Process p = new ProcessBuilder(tool.toString(), "security", "--offline=true", unit.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Matcher m = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    assertThat(Double.parseDouble(m.group(1))).as(out).isLessThanOrEqualTo(MAX_EXPOSURE);
  }

  @Test
  void systemdUnit_runsAsTheDocumentedUser_withOwnerOnlyFiles() throws Exception {
    String unit = Files.readString(DEPLOY.resolve("commguard-gateway.service"));
    String sysusers = Files.readString(DEPLOY.resolve("commguard.sysusers.conf"));
    assertThat(unit).contains("User=commguard", "UMask=0077", "StateDirectoryMode=0700", "commguard.sysusers.conf");
    assertThat(sysusers).containsPattern("(?m)^u commguard ");
  }

  @Test
  void dockerfile_pinnedBase_nonRoot_healthCheck_umask027() throws Exception {
    String docker = Files.readString(DEPLOY.resolve("Dockerfile"));
    Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(docker);
    assertThat(from.find()).isTrue();
    assertThat(from.group(1)).as("a full version, never a floating tag")
        .matches("[^:]+:\\d+\\.\\d+\\.\\d+[^ ]*(@sha256:[0-9a-f]{64})?").doesNotContain("latest");
    Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(docker);
    assertThat(user.find()).isTrue();
    assertThat(user.group(1)).doesNotStartWith("0").doesNotStartWith("root");
    assertThat(docker).containsPattern("(?m)^HEALTHCHECK ").contains("umask 027");
    assertThat(DEPLOY.resolve("healthcheck.sh")).isExecutable();
  }

  /** The container's entry: the gateway as PID 1's only child, its probe a script the image copies, in exec form. */
  @Test
  void dockerfile_execFormEntry_copiesWhatItRuns_andBothInstallGuidesGiveTheMultiArchBuild() throws Exception {
    String docker = Files.readString(DEPLOY.resolve("Dockerfile"));
    assertThat(docker).containsPattern("(?m)^ENTRYPOINT \\[").containsPattern("(?m)^HEALTHCHECK .* CMD \\[")
        .contains("exec /opt/commguard/commguard-gateway");
    Path repo = DEPLOY.toAbsolutePath().normalize().getParent();
    Matcher copies = Pattern.compile("(?m)^COPY (?:--\\S+ )*(\\S+) ").matcher(docker);
    while (copies.find()) {
      assertThat(repo.resolve(copies.group(1)).normalize().startsWith(repo)).as(copies.group(1)).isTrue();
      if (!copies.group(1).startsWith("gateway/target/")) {
        assertThat(repo.resolve(copies.group(1))).as(copies.group(1)).exists();
      }
    }
    Process sh = new ProcessBuilder("sh", "-n", DEPLOY.resolve("healthcheck.sh").toString()).redirectErrorStream(true)
        .start();
    assertThat(sh.waitFor()).as(new String(sh.getInputStream().readAllBytes())).isZero();
    for (String guide : new String[] {"install.md", "install.zh.md"}) {
      assertThat(Files.readString(repo.resolve("docs").resolve(guide))).as(guide)
          .contains("docker buildx build --platform linux/amd64,linux/arm64 -f deploy/Dockerfile");
    }
  }
}
