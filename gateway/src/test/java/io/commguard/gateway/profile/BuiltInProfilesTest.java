package io.commguard.gateway.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.commguard.gateway.ProfileSections;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.validation.InvalidInputException;
import io.commguard.gateway.validation.Problem;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped profiles packaged as the built-in set, and a profiles directory adding to and replacing them. */
class BuiltInProfilesTest {
  private static final Path SHIPPED = Path.of(System.getProperty("profiles.dir", "../device-profiles"));
  private static final String CAMERA = """
      id: %s
      vendor: Acme
      model: C-1
      protocol: MQTT
      description: %s
      decode:
        codec: json
        code:
          path: eventType
          table:
            fire: FIRE_SMOKE
      """;

  @TempDir Path dir;
  private final ProfileLoader loader = ProfileSections.loader();

  @Test
  void loadBuiltIn_isEveryShippedProfile_namedByClasspathPath() {
    Map<String, DeviceProfile> shipped = loader.loadDirectory(SHIPPED);

    Map<String, DeviceProfile> builtIn = loader.loadBuiltIn();

    assertThat(builtIn.keySet()).containsExactlyElementsOf(shipped.keySet());
    builtIn.forEach((id, p) -> {
      String relative = SHIPPED.relativize(Path.of(shipped.get(id).source())).toString().replace('\\', '/');
      assertThat(p.source()).isEqualTo("builtin:" + relative);
      assertThat(p.builtIn()).isTrue();
      assertThat(p.folder()).isNull();
      assertThat(p.eventTypes()).isEqualTo(shipped.get(id).eventTypes());
    });
    assertThat(builtIn.get("hikvision-isapi-camera").eventTypes()).contains(CanonicalType.PERIMETER_INTRUSION);
    assertThat(builtIn.get("generic-rs485-gas-0x6000").eventTypes()).contains(CanonicalType.GAS_LEAK, CanonicalType.READING);
  }

  @Test
  void catalog_directory_addsAndReplacesById() throws Exception {
    write("acme/c1/profile.yaml", CAMERA.formatted("acme-c1", "a new model"));
    write("hik/profile.yaml", CAMERA.formatted("hikvision-isapi-camera", "a site's own version"));

    ProfileCatalog catalog = ProfileCatalog.load(loader, dir);

    assertThat(catalog.profiles()).containsKeys("acme-c1", "hikvision-isapi-camera", "dahua-ipc-event-stream");
    DeviceProfile replaced = catalog.profiles().get("hikvision-isapi-camera");
    assertThat(replaced.description()).isEqualTo("a site's own version");
    assertThat(replaced.source()).isEqualTo(dir.resolve("hik/profile.yaml").toString());
    assertThat(replaced.builtIn()).isFalse();
    assertThat(catalog.overridden()).containsExactly("hikvision-isapi-camera");
    assertThat(catalog.profiles().get("dahua-ipc-event-stream").builtIn()).isTrue();
  }

  @Test
  void catalog_replacement_loggedOnlyWhenItDiffersFromTheBuiltInFile() throws Exception {
    Path shippedCamera = SHIPPED.resolve("hikvision/isapi-camera/profile.yaml");
    Files.createDirectories(dir.resolve("copy"));
    Files.copy(shippedCamera, dir.resolve("copy/profile.yaml"));
    write("own/profile.yaml", CAMERA.formatted("dahua-ipc-event-stream", "a site's own version"));
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger(ProfileCatalog.class.getName());
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(capture);
    try {
      ProfileCatalog catalog = ProfileCatalog.load(loader, dir);

      assertThat(catalog.overridden()).containsExactly("dahua-ipc-event-stream", "hikvision-isapi-camera");
    } finally {
      logger.removeHandler(capture);
    }
    assertThat(records).extracting(LogRecord::getMessage).containsExactly(
        "Profiles directory replaces built-in profiles dir=" + dir + " ids=[dahua-ipc-event-stream]");
  }

  @Test
  void catalog_noDirectory_isTheBuiltInSet() {
    ProfileCatalog catalog = ProfileCatalog.load(loader, null);

    assertThat(catalog.profiles().keySet()).isEqualTo(loader.loadBuiltIn().keySet());
    assertThat(catalog.profiles().values()).allMatch(DeviceProfile::builtIn);
    assertThat(catalog.overridden()).isEmpty();
  }

  @Test
  void catalog_badDirectoryProfile_namesItsFile() throws Exception {
    Path bad = write("acme/c1/profile.yaml", CAMERA.formatted("acme-c1", "x").replace("FIRE_SMOKE", "FIRE"));

    assertThatThrownBy(() -> ProfileCatalog.load(loader, dir))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
            .extracting(Problem::file).containsOnly(bad.toString()));
  }

  @Test
  void loadBuiltIn_brokenPackagedProfile_namesItsClasspathPath() throws Exception {
    write("device-profiles/profiles.index", "acme/c1/profile.yaml\nacme/gone/profile.yaml\n");
    write("device-profiles/acme/c1/profile.yaml", CAMERA.formatted("acme-c1", "x") + "colour: red\n");

    try (URLClassLoader classes = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      assertThatThrownBy(() -> loader.loadBuiltIn(classes))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
              .extracting(p -> p.file() + ": " + p.path())
              .containsExactly("builtin:acme/c1/profile.yaml: colour", "builtin:acme/gone/profile.yaml: "));
    }
  }

  @Test
  void loadBuiltIn_noIndex_saysTheBuildIsBroken() throws Exception {
    try (URLClassLoader classes = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      assertThatThrownBy(() -> loader.loadBuiltIn(classes))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
              .extracting(Problem::reason).containsExactly("missing from the classpath: the jar was built without its profiles"));
    }
  }

  private Path write(String relative, String text) throws Exception {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }
}
