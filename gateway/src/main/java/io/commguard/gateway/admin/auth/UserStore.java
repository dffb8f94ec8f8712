package io.commguard.gateway.admin.auth;

import io.commguard.gateway.admin.Role;
import io.commguard.gateway.security.PrivateFiles;
import io.commguard.gateway.sqlite.SqliteFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The accounts in {@value #FILE} (SQLite, 0600, in the data directory): users with their role and
 * password hash ({@link io.commguard.gateway.security.PasswordHash}), and API tokens with their
 * role and the SHA-256 of the token (a token is 256 random bits, so a fast hash is enough; the
 * token itself is shown once and never stored).
 *
 * <p>The gateway and the {@code gateway users} CLI open it at the same time: SQLite's locking
 * serialises their writes (WAL, 5 s busy timeout), and {@link #version} tells the gateway another
 * process changed it. Blocking JDBC: call from a worker. Thread-safe.
 */
public final class UserStore implements AutoCloseable {
  public static final String FILE = "users.db";
  /** User and token names: what fits a log line, a URL path segment and a shell argument unquoted. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

  public static final int MIN_PASSWORD_LENGTH = 10;
  public static final int MAX_PASSWORD_LENGTH = 256;

  public record User(String name, Role role, String passwordHash, String created) {}

  /** There is no user or token of that name. */
  public static final class NotFound extends IllegalArgumentException {
    NotFound(String message) {
      super(message);
    }
  }

  /** The change clashes with what is stored: the name is taken, or it would leave no admin. */
  public static final class Conflict extends IllegalArgumentException {
    Conflict(String message) {
      super(message);
    }
  }

  /**
   * @throws IllegalArgumentException naming the rule a new password breaks
   */
  public static void checkPassword(char[] password) {
    if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
      throw new IllegalArgumentException("password must have " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH
          + " characters, had " + password.length);
    }
  }

  public record Token(String name, Role role, String tokenHash, String created, String createdBy) {}

  private final Connection conn;
  private final Clock clock;

  private UserStore(Connection conn, Clock clock) {
    this.conn = conn;
    this.clock = clock;
  }

  /** Opens (or creates, 0600) the data directory's user database. */
  public static UserStore open(Path dataDir, Clock clock) {
    Path file = dataDir.resolve(FILE);
    try {
      PrivateFiles.ownerOnlyFile(file);
      Connection conn = SqliteFiles.openWal(file, "FULL");
      try (Statement st = conn.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL, "
            + "password_hash TEXT NOT NULL, created TEXT NOT NULL)");
        st.execute("CREATE TABLE IF NOT EXISTS tokens (name TEXT PRIMARY KEY, role TEXT NOT NULL, "
            + "token_hash TEXT NOT NULL UNIQUE, created TEXT NOT NULL, created_by TEXT NOT NULL)");
        conn.commit();
      }
      return new UserStore(conn, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open " + file + ": " + e.getMessage(), e);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  /** Changes whenever another connection (the CLI, another gateway process) commits to the file. */
  public synchronized long version() {
    return queryLong("PRAGMA data_version");
  }

  public synchronized List<User> users() {
    List<User> out = new ArrayList<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT name, role, password_hash, created FROM users ORDER BY name")) {
      while (rs.next()) {
        out.add(new User(rs.getString(1), Role.parse(rs.getString(2)), rs.getString(3), rs.getString(4)));
      }
      conn.commit();
    } catch (SQLException e) {
      throw failed("read users", e);
    }
    return out;
  }

  public synchronized Optional<User> user(String name) {
    return users().stream().filter(u -> u.name().equals(name)).findFirst();
  }

  /** @throws IllegalArgumentException when the name is taken or malformed */
  public synchronized User addUser(String name, Role role, String passwordHash) {
    checkName(name, "user");
    User u = new User(name, role, passwordHash, clock.instant().toString());
    write(conn -> {
      if (exists("users", name)) {
        throw new Conflict("user '" + name + "' exists");
      }
      try (PreparedStatement ps = conn.prepareStatement("INSERT INTO users VALUES (?, ?, ?, ?)")) {
        ps.setString(1, name);
        ps.setString(2, role.word());
        ps.setString(3, passwordHash);
        ps.setString(4, u.created());
        ps.executeUpdate();
      }
    });
    return u;
  }

  /**
   * Changes a user's role and/or password hash (null: unchanged).
   *
   * @return the user before the change
   * @throws IllegalArgumentException when there is no such user, or the change would leave no admin
   */
  public synchronized User updateUser(String name, Role role, String passwordHash) {
    User before = user(name).orElseThrow(() -> new NotFound("no user '" + name + "'"));
    write(conn -> {
      if (role != null && before.role() == Role.ADMIN && role != Role.ADMIN) {
        keepAnAdmin(name);
      }
      try (PreparedStatement ps = conn.prepareStatement("UPDATE users SET role = ?, password_hash = ? WHERE name = ?")) {
        ps.setString(1, (role == null ? before.role() : role).word());
        ps.setString(2, passwordHash == null ? before.passwordHash() : passwordHash);
        ps.setString(3, name);
        ps.executeUpdate();
      }
    });
    return before;
  }

  /**
   * @return the removed user
   * @throws IllegalArgumentException when there is no such user, or it is the last admin
   */
  public synchronized User removeUser(String name) {
    User before = user(name).orElseThrow(() -> new NotFound("no user '" + name + "'"));
    write(conn -> {
      if (before.role() == Role.ADMIN) {
        keepAnAdmin(name);
      }
      try (PreparedStatement ps = conn.prepareStatement("DELETE FROM users WHERE name = ?")) {
        ps.setString(1, name);
        ps.executeUpdate();
      }
    });
    return before;
  }

  public synchronized List<Token> tokens() {
    List<Token> out = new ArrayList<>();
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT name, role, token_hash, created, created_by FROM tokens ORDER BY name")) {
      while (rs.next()) {
        out.add(new Token(rs.getString(1), Role.parse(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getString(5)));
      }
      conn.commit();
    } catch (SQLException e) {
      throw failed("read tokens", e);
    }
    return out;
  }

  /** @throws IllegalArgumentException when the name is taken or malformed */
  public synchronized Token addToken(String name, Role role, String tokenHash, String createdBy) {
    checkName(name, "token");
    Token t = new Token(name, role, tokenHash, clock.instant().toString(), createdBy);
    write(conn -> {
      if (exists("tokens", name)) {
        throw new Conflict("token '" + name + "' exists");
      }
      try (PreparedStatement ps = conn.prepareStatement("INSERT INTO tokens VALUES (?, ?, ?, ?, ?)")) {
        ps.setString(1, name);
        ps.setString(2, role.word());
        ps.setString(3, tokenHash);
        ps.setString(4, t.created());
        ps.setString(5, createdBy);
        ps.executeUpdate();
      }
    });
    return t;
  }

  /** @throws IllegalArgumentException when there is no such token */
  public synchronized Token removeToken(String name) {
    Token before = tokens().stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new NotFound("no token '" + name + "'"));
    write(conn -> {
      try (PreparedStatement ps = conn.prepareStatement("DELETE FROM tokens WHERE name = ?")) {
        ps.setString(1, name);
        ps.executeUpdate();
      }
    });
    return before;
  }

  @Override
  public synchronized void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      // closing at shutdown: nothing left to do with the error
    }
  }

  private interface Write {
    void run(Connection conn) throws SQLException;
  }

  /**
   * One transaction: its checks and its change commit together. Should another process commit in
   * between, SQLite refuses this one (busy) rather than let a check go stale; the caller sees the error.
   */
  private void write(Write w) {
    try {
      conn.commit();
      try {
        w.run(conn);
        conn.commit();
      } catch (SQLException | RuntimeException e) {
        SqliteFiles.rollback(conn);
        throw e;
      }
    } catch (SQLException e) {
      throw failed("write", e);
    }
  }

  private void keepAnAdmin(String leaving) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM users WHERE role = 'admin' AND name <> ?")) {
      ps.setString(1, leaving);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getLong(1) == 0) {
          throw new Conflict("'" + leaving + "' is the last admin; add another admin first");
        }
      }
    }
  }

  private boolean exists(String table, String name) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM " + table + " WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private long queryLong(String sql) {
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      long v = rs.next() ? rs.getLong(1) : 0;
      conn.commit();
      return v;
    } catch (SQLException e) {
      throw failed("read", e);
    }
  }

  private static void checkName(String name, String what) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " name must be 1 to 64 letters, digits or . _ @ - (starting with a "
          + "letter or digit), was '" + (name == null ? "" : name.replaceAll("[^\\x20-\\x7e]", "?")) + "'");
    }
  }

  private static IllegalStateException failed(String what, SQLException e) {
    return new IllegalStateException("users.db: cannot " + what + ": " + e.getMessage(), e);
  }
}
