package io.commguard.gateway.evidence;

import io.commguard.gateway.config.EvidenceConfig;
import io.commguard.gateway.config.EvidenceConfig.Keep;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.security.PrivateFiles;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Pictures kept on this box as evidence of alerts, in {@code <dataDir>/evidence} (0700, files 0600),
 * bounded by size (oldest evicted first) and by age. A kept picture's reference ({@code
 * evidence:<name>}) travels in the alert; the bytes are served only to an authorised admin user.
 *
 * <p>Policy: with {@code pictures: drop} (the default) nothing is written and every picture is
 * counted as dropped; face pictures are dropped unless {@code facePictures: keep}. A picture is kept
 * only when its bytes are a JPEG, PNG, GIF or BMP image (the sender's content type is not trusted),
 * so what an admin is served is always an image.
 *
 * <p>Counters: {@code pictures_kept{device}}, {@code pictures_dropped{device,reason}} with reasons
 * {@code not_kept}, {@code face}, {@code too_large}, {@code not_an_image}, {@code busy} (more than
 * {@link #MAX_PENDING_BYTES} waiting to be written), {@code write_failed}, {@code closed}; {@code
 * pictures_evicted{reason}} with {@code size_cap} and {@code retention}.
 *
 * <p>Threads: every file operation runs on the one {@code evidence-store} thread; callers get
 * futures, so an event loop never touches the disk.
 */
public final class EvidenceStore implements AutoCloseable {
  /** Prefix of every reference this store hands out. */
  public static final String REF_PREFIX = "evidence:";
  /** Bytes accepted for writing but not yet written; beyond this pictures are dropped ({@code busy}). */
  static final long MAX_PENDING_BYTES = 64L << 20;
  private static final System.Logger LOG = System.getLogger(EvidenceStore.class.getName());
  private static final String FOLDER = "evidence";
  private static final Pattern NAME = Pattern.compile("(\\d{13})-[A-Za-z0-9._-]{1,64}-[0-9a-f]{16}\\.(jpg|png|gif|bmp)");
  private static final CompletableFuture<Optional<String>> NONE = CompletableFuture.completedFuture(Optional.empty());

  /** Whose picture it is: a scene, or a person's face (personal data, kept only when allowed). */
  public enum Subject {
    SCENE, FACE;

    private static final Set<CanonicalType> ACCESS_TYPES = EnumSet.of(CanonicalType.ACCESS_GRANTED,
        CanonicalType.ACCESS_DENIED, CanonicalType.DOOR_FORCED, CanonicalType.DOOR_HELD_OPEN, CanonicalType.DURESS,
        CanonicalType.TAILGATING, CanonicalType.GATE_FORCED, CanonicalType.TAMPER);

    /**
     * The subject of a picture that came with {@code events}: pictures of access-control events
     * (taken at a door or gate, of the person there), of face events, and parts the device names
     * as faces are face pictures.
     */
    public static Subject of(List<DeviceEvent> events, boolean namedAsFace) {
      return namedAsFace || events.stream().anyMatch(e -> e.kind() == EventKind.ACCESS || ACCESS_TYPES.contains(e.type())
          || e.nativeCode().toLowerCase(Locale.ROOT).contains("face")) ? FACE : SCENE;
    }
  }

  /** A kept picture as read back for an admin user. */
  public record Picture(String contentType, byte[] bytes) {}

  private record Entry(String name, long bytes, long createdMs) {}

  private final EvidenceConfig config;
  private final Path dir;
  private final Counters counters;
  private final Clock clock;
  private final ScheduledExecutorService io;
  private final AtomicLong pending = new AtomicLong();
  private final SecureRandom random = new SecureRandom();
  private final RateLimitedLog log = new RateLimitedLog(LOG, 60_000);
  /** Kept pictures, oldest first; only the io thread touches these two. */
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private long total;

  private EvidenceStore(EvidenceConfig config, Path dir, Counters counters, Clock clock) {
    this.config = config;
    this.dir = dir;
    this.counters = counters;
    this.clock = clock;
    this.io = dir == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "evidence-store");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * The store the config asks for: one that keeps nothing for {@code pictures: drop}, else the
   * folder {@code evidence} in {@code dataDir}, created 0700 or checked, with what an earlier run
   * kept loaded and anything beyond the bounds evicted.
   */
  public static EvidenceStore open(EvidenceConfig config, Path dataDir, Counters counters, Clock clock) throws IOException {
    if (config.pictures() == Keep.DROP) {
      return new EvidenceStore(config, null, counters, clock);
    }
    Path dir = dataDir.resolve(FOLDER);
    PrivateFiles.trustedDirectory(dir);
    if (posix(dir)) {
      Files.setPosixFilePermissions(dir, PrivateFiles.OWNER_ONLY_DIR);
    }
    EvidenceStore store = new EvidenceStore(config, dir, counters, clock);
    try {
      store.io.submit(() -> {
        store.load();
        store.evict(0);
        return null;
      }).get();
    } catch (Exception e) {
      store.close();
      throw new IOException("Evidence store " + dir + " could not be loaded: " + e.getCause(), e.getCause());
    }
    store.io.scheduleWithFixedDelay(() -> store.evict(0), 1, 1, TimeUnit.HOURS);
    return store;
  }

  /** The largest picture kept; a source need not read a larger one. */
  public int maxPictureBytes() {
    return config.maxPictureBytes();
  }

  /** True when pictures are written at all (else every {@link #store} is a counted drop). */
  public boolean keeps() {
    return io != null;
  }

  /**
   * Keeps one picture of {@code deviceId} (a configured device id). Completes with its reference,
   * or empty when the policy or a bound dropped it (counted with the reason).
   */
  public CompletionStage<Optional<String>> store(String deviceId, Subject subject, byte[] bytes) {
    if (io == null) {
      return dropped(deviceId, "not_kept");
    }
    if (subject == Subject.FACE && config.facePictures() == Keep.DROP) {
      return dropped(deviceId, "face");
    }
    if (bytes.length > config.maxPictureBytes()) {
      return dropped(deviceId, "too_large");
    }
    String extension = imageExtension(bytes);
    if (extension == null) {
      return dropped(deviceId, "not_an_image");
    }
    if (pending.addAndGet(bytes.length) > MAX_PENDING_BYTES) {
      pending.addAndGet(-bytes.length);
      return dropped(deviceId, "busy");
    }
    CompletableFuture<Optional<String>> ref = new CompletableFuture<>();
    try {
      io.execute(() -> {
        try {
          ref.complete(Optional.of(write(deviceId, bytes, extension)));
        } catch (IOException | RuntimeException e) {
          counters.increment("pictures_dropped", deviceId, "write_failed");
          log.log(Level.WARNING, "write", "Picture not kept device=" + deviceId + " dir=" + dir + " error=" + e);
          ref.complete(Optional.empty());
        } finally {
          pending.addAndGet(-bytes.length);
        }
      });
    } catch (RejectedExecutionException e) {
      pending.addAndGet(-bytes.length);
      return dropped(deviceId, "closed");
    }
    return ref;
  }

  /** The picture a reference names, read on the store's thread; empty for an unknown or foreign reference. */
  public CompletionStage<Optional<Picture>> read(String ref) {
    String name = ref != null && ref.startsWith(REF_PREFIX) ? ref.substring(REF_PREFIX.length()) : "";
    var m = NAME.matcher(name);
    if (io == null || !m.matches()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        return Optional.of(new Picture(contentType(m.group(2)), Files.readAllBytes(dir.resolve(name))));
      } catch (IOException e) {
        return Optional.<Picture>empty();
      }
    }, io);
  }

  private CompletionStage<Optional<String>> dropped(String deviceId, String reason) {
    counters.increment("pictures_dropped", deviceId, reason);
    return NONE;
  }

  private String write(String deviceId, byte[] bytes, String extension) throws IOException {
    long now = clock.millis();
    evict(bytes.length);
    String name = String.format("%013d-%s-%016x.%s", now, deviceId, random.nextLong(), extension);
    Path tmp = dir.resolve(name + ".tmp");
    Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try (SeekableByteChannel out = posix(dir)
        ? Files.newByteChannel(tmp, options, PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_ONLY_FILE))
        : Files.newByteChannel(tmp, options)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    entries.addLast(new Entry(name, bytes.length, now));
    total += bytes.length;
    counters.increment("pictures_kept", deviceId, null);
    return REF_PREFIX + name;
  }

  /** Deletes pictures past retention, then the oldest until {@code room} more bytes fit under the cap. */
  private void evict(long room) {
    long oldestKept = clock.millis() - TimeUnit.DAYS.toMillis(config.retentionDays());
    while (!entries.isEmpty() && entries.peekFirst().createdMs() < oldestKept) {
      delete(entries.peekFirst(), "retention");
    }
    while (!entries.isEmpty() && total + room > config.maxBytes()) {
      delete(entries.peekFirst(), "size_cap");
    }
  }

  private void delete(Entry e, String reason) {
    try {
      Files.deleteIfExists(dir.resolve(e.name()));
    } catch (IOException ex) {
      log.log(Level.WARNING, "delete", "Picture could not be deleted file=" + dir.resolve(e.name()) + " error=" + ex);
    }
    entries.removeFirst();
    total -= e.bytes();
    counters.increment("pictures_evicted", null, reason);
  }

  /** What earlier runs kept, oldest first (names start with the time they were kept); unfinished writes are removed. */
  private void load() throws IOException {
    List<Entry> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        var m = NAME.matcher(name);
        if (name.endsWith(".tmp")) {
          Files.deleteIfExists(f);
        } else if (m.matches() && Files.isRegularFile(f)) {
          found.add(new Entry(name, Files.size(f), Long.parseLong(m.group(1))));
        }
      }
    }
    found.sort((a, b) -> a.name().compareTo(b.name()));
    entries.addAll(found);
    total = found.stream().mapToLong(Entry::bytes).sum();
  }

  /** True when the bytes are an image of a kind this store keeps (JPEG, PNG, GIF, BMP), by their signature. */
  public static boolean isImage(byte[] bytes) {
    return imageExtension(bytes) != null;
  }

  /** The extension for an image's bytes by their signature, or null when they are no image kept here. */
  static String imageExtension(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
      return "jpg";
    }
    if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return "png";
    }
    if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
      return "gif";
    }
    if (b.length >= 14 && b[0] == 'B' && b[1] == 'M') {
      return "bmp";
    }
    return null;
  }

  private static String contentType(String extension) {
    return switch (extension) {
      case "jpg" -> "image/jpeg";
      case "png" -> "image/png";
      case "gif" -> "image/gif";
      default -> "image/bmp";
    };
  }

  private static boolean posix(Path dir) throws IOException {
    return Files.getFileStore(dir).supportsFileAttributeView("posix");
  }

  @Override
  public void close() {
    if (io != null) {
      io.shutdown();
      try {
        io.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
