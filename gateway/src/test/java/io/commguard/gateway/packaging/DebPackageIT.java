package io.commguard.gateway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb the build makes, as Debian's own tools see it: lintian finds nothing at warning level
 * or above (its only info tags are overridden with reasons in deploy/debian/lintian-overrides),
 * dpkg-deb lists the files the installation guide names, and the gateway unpacked from it starts
 * through its launcher and validates its bundled profiles.
 */
class DebPackageIT {
  private static final Path DEB = Path.of(System.getProperty("gateway.deb", "target/commguard-gateway.deb"));
  private static final Path REPO = Path.of(System.getProperty("profiles.dir", "../device-profiles")).toAbsolutePath()
      .getParent();

  @TempDir Path dir;

  @Test
  void lintian_findsNoWarningOrError() throws Exception {
    Run lintian = run("lintian", "--fail-on", "warning", "--display-info", "--show-overrides", DEB.toString());
    assertThat(lintian.exit()).as(lintian.output()).isZero();
    assertThat(lintian.output().lines()).as(lintian.output())
        .noneMatch(l -> l.startsWith("E: ") || l.startsWith("W: "))
        .filteredOn(l -> l.startsWith("I: ")).as("every info tag is overridden with a reason").isEmpty();
  }

  @Test
  void control_namesTheJavaRuntimeAndTheScriptsCreateTheUserAndDirs() throws Exception {
    Run info = run("dpkg-deb", "-I", DEB.toString());
    assertThat(info.exit()).isZero();
    assertThat(info.output()).contains("Package: commguard-gateway", "Architecture: all", "postinst", "postrm")
        .containsPattern("Depends: default-jre-headless \\(>= 2:1.17\\) \\| java17-runtime-headless");
    Path control = Files.createDirectory(dir.resolve("control"));
    assertThat(run("dpkg-deb", "-e", DEB.toString(), control.toString()).exit()).isZero();
    String postinst = Files.readString(control.resolve("postinst"));
    assertThat(postinst).contains("systemd-sysusers /usr/lib/sysusers.d/commguard.conf",
        "install -d -o root -g commguard -m 0750 /etc/commguard",
        "install -d -o commguard -g commguard -m 0700 /var/lib/commguard",
        "/usr/share/commguard/commguard-gateway cds-archive").doesNotContain("systemctl start");
    assertThat(run("sh", "-n", control.resolve("postinst").toString()).exit()).isZero();
    assertThat(run("sh", "-n", control.resolve("postrm").toString()).exit()).isZero();
  }

  @Test
  void contents_unitJarProfilesAndDocs_ownedByRoot_nothingInEtcOrVar() throws Exception {
    Run list = run("dpkg-deb", "-c", DEB.toString());
    assertThat(list.exit()).isZero();
    List<String> lines = list.output().lines().toList();
    assertThat(lines).allSatisfy(l -> assertThat(l).contains(" root/root "));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("-rwxr-xr-x ").endsWith("./usr/share/commguard/commguard-gateway"));
    List<String> paths = lines.stream().map(l -> l.substring(l.indexOf("./") + 1)).toList();
    assertThat(paths).contains("/usr/share/commguard/gateway.jar", "/lib/systemd/system/commguard-gateway.service",
        "/usr/lib/sysusers.d/commguard.conf", "/usr/share/doc/commguard-gateway/copyright",
        "/usr/share/doc/commguard-gateway/changelog.gz", "/usr/share/doc/commguard-gateway/install.md",
        "/usr/share/doc/commguard-gateway/examples/gateway.example.yaml",
        "/usr/share/lintian/overrides/commguard-gateway");
    try (Stream<Path> profiles = Files.walk(REPO.resolve("device-profiles"))) {
      List<String> shipped = profiles.filter(p -> p.getFileName().toString().equals("profile.yaml"))
          .map(p -> "/usr/share/commguard/device-profiles/" + REPO.resolve("device-profiles").relativize(p)).toList();
      assertThat(shipped).isNotEmpty();
      assertThat(paths).containsAll(shipped);
    }
    assertThat(paths).noneMatch(p -> p.startsWith("/etc/") || p.startsWith("/var/") || p.startsWith("/opt/"));
  }

  @Test
  void unpacked_unitStartsTheShippedJar_whichRunsWithItsProfiles() throws Exception {
    Path root = Files.createDirectory(dir.resolve("root"));
    assertThat(run("dpkg-deb", "-x", DEB.toString(), root.toString()).exit()).isZero();
    String unit = Files.readString(root.resolve("lib/systemd/system/commguard-gateway.service"));
    assertThat(unit).contains("User=commguard",
        "ExecStart=/usr/share/commguard/commguard-gateway run --config /etc/commguard/gateway.yaml");
    Path launcher = root.resolve("usr/share/commguard/commguard-gateway");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Run validate = runWithJava(java, launcher.toString(), "profiles", "validate",
        root.resolve("usr/share/commguard/device-profiles").toString());
    assertThat(validate.exit()).as(validate.output()).isZero();
    assertThat(validate.output()).contains("profiles valid");
  }

  private record Run(int exit, String output) {}

  private Run run(String... command) throws IOException, InterruptedException {
    return runWithJava(null, command);
  }

  /** Runs {@code command}; a non-null {@code java} is the JVM the launcher uses (its JAVA variable). */
  private Run runWithJava(String java, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "run", ".out");
    ProcessBuilder b = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
        .redirectOutput(out.toFile());
    if (java != null) {
      b.environment().put("JAVA", java);
    }
    Process p = b.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 300 s");
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
