package io.commguard.gateway.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proof that a device's password passed the slow PBKDF2 check: per device id, an HMAC-SHA256 under
 * a random 256-bit key of (stored hash, password). A device logging in again with the same
 * password is accepted after one HMAC (microseconds) instead of a PBKDF2 (tens of milliseconds).
 * The stored hash is part of the MAC, so a changed {@code passwordHash} invalidates the proof;
 * {@link #forget} drops a device explicitly (device removed or changed at run time).
 *
 * <p>{@linkplain #durable Durable} proofs survive a restart, so a fleet reconnecting after one is
 * served at once (docs/security.md argues the choice): the key is {@value #KEY_FILE} and the proofs
 * {@value #CACHE_FILE} in the data dir, both 0600. The proofs alone reveal nothing (a MAC under an
 * unknown key); the key alone neither. Writes are coalesced on a thread of their own, never the
 * caller's.
 */
public final class VerifiedPasswords implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(VerifiedPasswords.class.getName());
  public static final String KEY_FILE = "device-logins.key";
  public static final String CACHE_FILE = "device-logins.cache";
  private static final int KEY_BYTES = 32;
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final byte[] key;
  private final ConcurrentHashMap<String, byte[]> proofs = new ConcurrentHashMap<>();
  private final Path cacheFile;
  private final ExecutorService writer;
  private final AtomicBoolean writeScheduled = new AtomicBoolean();

  private VerifiedPasswords(byte[] key, Path cacheFile) {
    this.key = key;
    this.cacheFile = cacheFile;
    this.writer = cacheFile == null ? null : Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "device-logins-writer");
      t.setDaemon(true);
      return t;
    });
  }

  /** Proofs kept in memory only, lost at restart. */
  public VerifiedPasswords() {
    this(randomKey(), null);
  }

  /**
   * Proofs kept in {@code dataDir} as well, loaded now (blocking file I/O: call at start, not on an
   * event loop). A key file other users may read is not trusted: it is replaced, so earlier proofs
   * lapse and each device passes PBKDF2 once more.
   */
  public static VerifiedPasswords durable(Path dataDir) {
    try {
      Path keyFile = dataDir.resolve(KEY_FILE);
      byte[] key = readKey(keyFile);
      boolean fresh = key == null;
      if (fresh) {
        key = randomKey();
        writePrivate(keyFile, key);
      }
      VerifiedPasswords v = new VerifiedPasswords(key, dataDir.resolve(CACHE_FILE));
      if (!fresh && Files.exists(v.cacheFile)) {
        v.load();
      }
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the device login cache in " + dataDir, e);
    }
  }

  /** True when this device already passed PBKDF2 with exactly this password and stored hash. */
  public boolean known(String deviceId, char[] password, String storedHash) {
    byte[] expected = proofs.get(deviceId);
    return expected != null && MessageDigest.isEqual(expected, proof(deviceId, password, storedHash));
  }

  public void remember(String deviceId, char[] password, String storedHash) {
    proofs.put(deviceId, proof(deviceId, password, storedHash));
    scheduleWrite();
  }

  /** Drops a device's proof; its next login passes PBKDF2 again. */
  public void forget(String deviceId) {
    if (proofs.remove(deviceId) != null) {
      scheduleWrite();
    }
  }

  /** Devices with a proof. */
  public int size() {
    return proofs.size();
  }

  private byte[] proof(String deviceId, char[] password, String storedHash) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(deviceId.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(storedHash.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
      mac.update(encoded);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  private void scheduleWrite() {
    if (writer != null && writeScheduled.compareAndSet(false, true)) {
      writer.execute(() -> {
        writeScheduled.set(false);
        try {
          save();
        } catch (IOException e) {
          LOG.log(System.Logger.Level.WARNING, "Cannot save the device login cache path=" + cacheFile + " error=" + e);
        }
      });
    }
  }

  private void load() throws IOException {
    Base64.Decoder b64 = Base64.getDecoder();
    for (String line : Files.readAllLines(cacheFile, StandardCharsets.US_ASCII)) {
      int space = line.indexOf(' ');
      if (space > 0) {
        try {
          proofs.put(line.substring(0, space), b64.decode(line.substring(space + 1)));
        } catch (IllegalArgumentException damaged) {
          // a damaged line only costs that device one slow check
        }
      }
    }
  }

  private void save() throws IOException {
    Map<String, byte[]> sorted = new TreeMap<>(proofs);
    StringBuilder text = new StringBuilder(sorted.size() * 64);
    Base64.Encoder b64 = Base64.getEncoder();
    sorted.forEach((id, proof) -> text.append(id).append(' ').append(b64.encodeToString(proof)).append('\n'));
    writePrivate(cacheFile, text.toString().getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] readKey(Path keyFile) throws IOException {
    if (!Files.exists(keyFile)) {
      return null;
    }
    if (posix() && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(keyFile))) {
      LOG.log(System.Logger.Level.WARNING, "Device login key is accessible to other users; replacing it path=" + keyFile);
      return null;
    }
    byte[] key = Files.readAllBytes(keyFile);
    return key.length == KEY_BYTES ? key : null;
  }

  /** Writes a file readable by its owner only, atomically (temp file, then rename). */
  private static void writePrivate(Path file, byte[] content) throws IOException {
    FileAttribute<?>[] attrs = posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp", attrs);
    try {
      Files.write(tmp, content);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static byte[] randomKey() {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /** Finishes a pending write. */
  @Override
  public void close() {
    if (writer != null) {
      writer.shutdown();
      try {
        writer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
