package io.commguard.gateway.audit;

import io.commguard.gateway.security.PrivateFiles;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hash-chained audit log {@value #FILE} (JSON lines, 0600) in the data directory. Each line is
 * one change, {@code {"seq","time","actor","action","target","before","after","prev","hash"}},
 * where {@code hash} is the SHA-256 of the previous line's hash followed by this line's text up to
 * {@code prev}: editing, inserting or deleting a line breaks the chain at that line. The last
 * line's sequence number and hash are also kept in {@value #HEAD_FILE}, so that cutting lines off
 * the end is noticed too.
 *
 * <p>The gateway and the CLI may append at the same time: each append holds an exclusive lock on
 * the file (between processes) and a monitor per file (between threads), and is forced to disk before
 * {@link #record} returns. Blocking: call from a worker.
 */
public final class Audit {
  public static final String FILE = "audit.jsonl";
  public static final String HEAD_FILE = "audit.head";
  /** One monitor per file: a JVM may hold only one lock on a file, so its writers queue here first. */
  private static final java.util.Map<Path, Object> WRITERS = new java.util.concurrent.ConcurrentHashMap<>();
  private static final String GENESIS = "0".repeat(64);
  private static final Pattern LINE = Pattern.compile("^(\\{.*,\"prev\":\"([0-9a-f]{64})\"),\"hash\":\"([0-9a-f]{64})\"}$");

  /** One change as read back. */
  public record Entry(long seq, String time, String actor, String action, String target, JsonObject before,
      JsonObject after, String hash) {
    public JsonObject toJson() {
      return new JsonObject().put("seq", seq).put("time", time).put("actor", actor).put("action", action)
          .put("target", target).put("before", before).put("after", after).put("hash", hash);
    }
  }

  /** What {@link #verify} found: {@code problem} is null when the chain holds. */
  public record Verdict(long entries, String problem) {
    public boolean intact() {
      return problem == null;
    }
  }

  private final Path file;
  private final Path head;
  private final Clock clock;

  private Audit(Path file, Clock clock) {
    this.file = file;
    this.head = file.resolveSibling(HEAD_FILE);
    this.clock = clock;
  }

  /** The audit log of a data directory (created 0600 on first use). */
  public static Audit in(Path dataDir, Clock clock) {
    return new Audit(dataDir.resolve(FILE), clock);
  }

  /**
   * Appends one change. {@code before} is null for something created, {@code after} null for
   * something deleted. Never pass a secret (password, token, hash): say that it changed instead.
   *
   * @param actor who: {@code user:alice}, {@code token:ci}, {@code admin-token}, {@code cli:root}
   * @param action what, a dotted verb such as {@code user.add} or {@code device.update}
   * @param target what it was done to (a user name, a device id)
   * @return the appended entry
   * @throws UncheckedIOException when the log cannot be written: the caller must not report success
   */
  public Entry record(String actor, String action, String target, JsonObject before, JsonObject after) {
    synchronized (WRITERS.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new Object())) {
      return append(actor, action, target, before, after);
    }
  }

  private Entry append(String actor, String action, String target, JsonObject before, JsonObject after) {
    try {
      PrivateFiles.ownerOnlyFile(file);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        String last = lastLine(ch);
        long seq = 1;
        String prev = GENESIS;
        if (last != null) {
          Matcher m = LINE.matcher(last);
          if (!m.matches()) {
            throw new IOException("the last line of " + file + " is not an audit entry; run gateway audit verify");
          }
          seq = new JsonObject(m.group(1) + "}").getLong("seq") + 1;
          prev = m.group(3);
        }
        String time = clock.instant().toString();
        String body = new JsonObject().put("seq", seq).put("time", time).put("actor", actor).put("action", action)
            .put("target", target).put("before", before).put("after", after).put("prev", prev).encode();
        String hash = sha256(prev + body);
        String line = body.substring(0, body.length() - 1) + ",\"hash\":\"" + hash + "\"}\n";
        ch.position(ch.size());
        ByteBuffer buf = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
        writeHead(seq, hash);
        return new Entry(seq, time, actor, action, target, before, after, hash);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot append to the audit log " + file + ": " + e.getMessage(), e);
    }
  }

  /** The newest {@code limit} entries, oldest first (lines that do not parse are skipped: see {@link #verify}). */
  public List<Entry> latest(int limit) throws IOException {
    Deque<Entry> out = new ArrayDeque<>();
    if (!Files.exists(file)) {
      return List.of();
    }
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        Matcher m = LINE.matcher(line);
        if (m.matches()) {
          JsonObject o = new JsonObject(m.group(1) + "}");
          out.addLast(new Entry(o.getLong("seq"), o.getString("time"), o.getString("actor"), o.getString("action"),
              o.getString("target"), o.getJsonObject("before"), o.getJsonObject("after"), m.group(3)));
          if (out.size() > limit) {
            out.removeFirst();
          }
        }
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * Walks the chain: every line well formed, numbered one after the other, linked to the line
   * before and hashed right; the last one matching {@value #HEAD_FILE}.
   */
  public Verdict verify() throws IOException {
    if (!Files.exists(file)) {
      return Files.exists(head) ? new Verdict(0, file + " is missing but " + head + " records entries")
          : new Verdict(0, null);
    }
    long n = 0;
    String prev = GENESIS;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        long lineNo = n + 1;
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
          return new Verdict(n, "line " + lineNo + " is not an audit entry");
        }
        long seq;
        try {
          seq = new JsonObject(m.group(1) + "}").getLong("seq");
        } catch (RuntimeException e) {
          return new Verdict(n, "line " + lineNo + " is not valid JSON");
        }
        if (seq != lineNo) {
          return new Verdict(n, "line " + lineNo + " has seq " + seq + ": an entry before it was deleted or inserted");
        }
        if (!m.group(2).equals(prev)) {
          return new Verdict(n, "entry " + seq + " does not follow entry " + (seq - 1) + ": an entry was deleted or replaced");
        }
        if (!sha256(prev + m.group(1) + "}").equals(m.group(3))) {
          return new Verdict(n, "entry " + seq + " was edited (its hash does not match its content)");
        }
        prev = m.group(3);
        n++;
      }
    }
    String expected = Files.exists(head) ? Files.readString(head, StandardCharsets.UTF_8).trim() : "";
    if (!expected.equals(n == 0 ? "" : n + " " + prev)) {
      return new Verdict(n, "the log ends at entry " + n + " but " + head + " records '" + expected
          + "': entries were cut off the end");
    }
    return new Verdict(n, null);
  }

  private void writeHead(long seq, String hash) throws IOException {
    PrivateFiles.ownerOnlyFile(head);
    Path tmp = head.resolveSibling(HEAD_FILE + ".tmp");
    PrivateFiles.ownerOnlyFile(tmp);
    Files.writeString(tmp, seq + " " + hash + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.SYNC);
    Files.move(tmp, head, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** The last non-empty line, read backwards from the end in blocks. */
  private static String lastLine(FileChannel ch) throws IOException {
    long end = ch.size();
    byte[] tail = new byte[0];
    while (end > 0) {
      int n = (int) Math.min(4096, end);
      ByteBuffer buf = ByteBuffer.allocate(n);
      ch.read(buf, end - n);
      byte[] joined = new byte[n + tail.length];
      System.arraycopy(buf.array(), 0, joined, 0, n);
      System.arraycopy(tail, 0, joined, n, tail.length);
      tail = joined;
      end -= n;
      int stop = tail.length;
      while (stop > 0 && tail[stop - 1] == '\n') {
        stop--;
      }
      for (int i = stop - 1; i >= 0; i--) {
        if (tail[i] == '\n') {
          return new String(tail, i + 1, stop - i - 1, StandardCharsets.UTF_8);
        }
      }
      if (end == 0 && stop > 0) {
        return new String(tail, 0, stop, StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
