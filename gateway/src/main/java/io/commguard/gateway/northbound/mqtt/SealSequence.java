package io.commguard.gateway.northbound.mqtt;

import io.commguard.gateway.security.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The sequence of signed uplink messages, against replay: every value is used once and rises
 * across restarts and crashes. The file holds a ceiling: every value below it may have been used.
 * Values are reserved ahead in blocks of {@value #BLOCK}; the file is rewritten (whole, fsync,
 * atomic rename) before a value at or above the old ceiling is handed out, so a crash skips at most
 * the rest of a block and never reuses one. At start the sequence also starts no lower than the
 * clock ({@code epoch ms × 1000}), so a lost file does not stall a receiver that remembers the last
 * value.
 *
 * <p>Threading: {@link #next} is called on the delivery and status threads (synchronised); the next
 * block is written on its own thread when half of the current one is used, so a publish waits for
 * the disk only when a whole block is used before the write lands.
 */
final class SealSequence implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SealSequence.class.getName());
  static final long BLOCK = 1024;

  private final Path file;
  private final ExecutorService writer;
  private long next;
  private long ceiling;
  private CompletableFuture<Long> reserving;

  private SealSequence(Path file, long next, long ceiling) {
    this.file = file;
    this.next = next;
    this.ceiling = ceiling;
    this.writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "uplink-seal-sequence");
      t.setDaemon(true);
      return t;
    });
  }

  /** Reads {@code file} and reserves the first block. Blocking file I/O: call at start. */
  static SealSequence open(Path file, long floor) throws IOException {
    long stored = read(file);
    long start = Math.max(stored, floor);
    write(file, start + BLOCK);
    return new SealSequence(file, start, start + BLOCK);
  }

  /**
   * The next value, never handed out before.
   *
   * @throws UncheckedIOException when no value is reserved and the reservation cannot be written
   */
  synchronized long next() {
    if (reserving != null && (reserving.isDone() || next >= ceiling)) {
      CompletableFuture<Long> pending = reserving;
      reserving = null;
      try {
        ceiling = Math.max(ceiling, pending.join());
      } catch (CompletionException e) {
        LOG.log(Level.ERROR, "Uplink sequence file not written, signed messages wait for it file={0} reason={1}", file,
            e.getCause().getMessage());
      }
    }
    if (next >= ceiling) {
      reserve(); // the one asked for above failed: try once more, on this thread's account
      try {
        ceiling = reserving.join();
      } catch (CompletionException e) {
        throw new UncheckedIOException("Uplink sequence file " + file + " cannot be written: " + e.getCause().getMessage(),
            new IOException(e.getCause()));
      } finally {
        reserving = null;
      }
    }
    long value = next++;
    if (reserving == null && ceiling - next < BLOCK / 2) {
      reserve();
    }
    return value;
  }

  private void reserve() {
    long target = Math.max(ceiling, next) + BLOCK;
    reserving = CompletableFuture.supplyAsync(() -> {
      try {
        write(file, target);
        return target;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, writer);
  }

  private static long read(Path file) {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    try {
      return Long.parseUnsignedLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
    } catch (IOException | NumberFormatException e) {
      // Written by rename, so only a damaged disk gets here; the clock floor still moves on.
      LOG.log(Level.ERROR, "Uplink sequence file unreadable, continuing from the clock file={0} reason={1}", file,
          e.getMessage());
      return 0;
    }
  }

  private static void write(Path file, long ceiling) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.getFileStore(dir).supportsFileAttributeView("posix")
        ? Files.createTempFile(dir, file.getFileName().toString(), ".tmp",
            PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_ONLY_FILE))
        : Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap((Long.toUnsignedString(ceiling) + "\n").getBytes(StandardCharsets.US_ASCII)));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Waits (bounded) for a block being written, so the next start reads it. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
