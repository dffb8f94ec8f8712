package io.commguard.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.admin.Role;
import io.commguard.gateway.admin.auth.UserStore;
import io.commguard.gateway.audit.Audit;
import io.commguard.gateway.security.PasswordHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gateway users …} and {@code gateway audit …} on a real data directory. */
class UsersAndAuditCommandTest {
  @TempDir Path dir;
  private Path data;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;
  private InputStream originalIn;

  @BeforeEach
  void captureOutput() {
    data = dir.resolve("data");
    originalOut = System.out;
    originalErr = System.err;
    originalIn = System.in;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(originalOut);
    System.setErr(originalErr);
    System.setIn(originalIn);
  }

  @Test
  void usersAddListPasswdRm_changeUsersDb_andTheAuditLog() throws Exception {
    assertThat(run("first password 1\n", "users", "add", "alice", "--role", "admin", "--data-dir", data.toString())).isZero();
    assertThat(run("first password 2\n", "users", "add", "tom", "--role", "technician", "--data-dir", data.toString())).isZero();
    assertThat(run("", "users", "list", "--data-dir", data.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("alice +admin").containsPattern("tom +technician");

    assertThat(run("second password\n", "users", "passwd", "tom", "--data-dir", data.toString())).isZero();
    try (UserStore store = UserStore.open(data, Clock.systemUTC())) {
      assertThat(PasswordHash.verify("second password".toCharArray(), store.user("tom").orElseThrow().passwordHash())).isTrue();
      assertThat(store.user("alice").orElseThrow().role()).isEqualTo(Role.ADMIN);
    }
    assertThat(run("", "users", "rm", "alice", "--data-dir", data.toString())).as("the last admin").isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("last admin");
    assertThat(run("", "users", "rm", "tom", "--data-dir", data.toString())).isZero();
    assertThat(run("short\n", "users", "add", "ida", "--role", "viewer", "--data-dir", data.toString())).isEqualTo(2);
    assertThat(run("first password 3\n", "users", "add", "ida", "--role", "boss", "--data-dir", data.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("10 to 256", "unknown role 'boss'");

    String actor = "cli:" + System.getProperty("user.name");
    assertThat(Audit.in(data, Clock.systemUTC()).latest(10)).extracting(e -> e.actor() + " " + e.action() + " " + e.target())
        .containsExactly(actor + " user.add alice", actor + " user.add tom", actor + " user.update tom",
            actor + " user.remove tom");
  }

  @Test
  void auditVerify_findsAnEditedOrDeletedEntry() throws Exception {
    Audit audit = Audit.in(data.resolve(""), Clock.systemUTC());
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    audit.record("user:alice", "device.add", "gas-1", null, null);
    audit.record("user:alice", "device.add", "gas-2", null, null);
    audit.record("user:alice", "device.add", "gas-3", null, null);
    assertThat(run("", "audit", "verify", "--data-dir", data.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Audit log intact: 3 entries.");
    assertThat(run("", "audit", "list", "--data-dir", data.toString(), "--limit", "2")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("gas-2", "gas-3");

    Path file = data.resolve(Audit.FILE);
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    Files.write(file, List.of(lines.get(0), lines.get(1).replace("gas-2", "gas-9"), lines.get(2)));
    assertThat(run("", "audit", "verify", "--data-dir", data.toString())).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("entry 2 was edited");

    Files.write(file, List.of(lines.get(0), lines.get(2)));
    assertThat(run("", "audit", "verify", "--data-dir", data.toString())).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("line 2 has seq 3");
  }

  private int run(String stdin, String... args) {
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    return new CommandLine(new GatewayCli()).execute(args);
  }
}
