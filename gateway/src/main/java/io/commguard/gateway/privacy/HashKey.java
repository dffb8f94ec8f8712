package io.commguard.gateway.privacy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The per-gateway secret behind keyed hashes of personal identifiers: HMAC-SHA256, hex, truncated
 * to {@value #HEX_CHARS} characters (128 bits). The same identifier hashes to the same value on one
 * gateway (so rules and the platform can correlate a card across events) and to unrelated values
 * on another gateway. Thread-safe.
 *
 * <p>The HMAC is computed from SHA-256 states precomputed over the padded key (RFC 2104, section
 * 4), which halves the hashing work per value against {@code javax.crypto.Mac}; the result is the
 * same (HashKeyTest checks it against {@code Mac}).
 */
public final class HashKey {
  /** Length of the key in bytes. */
  public static final int KEY_BYTES = 32;
  /** File name of the key inside the gateway's data directory. */
  public static final String FILE_NAME = "hash.key";
  /** Length of a hash in hex characters. */
  public static final int HEX_CHARS = 32;

  private static final int BLOCK_BYTES = 64;
  private static final HexFormat HEX = HexFormat.of();

  /** SHA-256 after the inner and the outer padded key: prototypes, only ever cloned. */
  private final MessageDigest inner;
  private final MessageDigest outer;

  private HashKey(byte[] keyBytes) {
    if (keyBytes.length != KEY_BYTES) {
      throw new IllegalArgumentException("hash key must be " + KEY_BYTES + " bytes, was " + keyBytes.length);
    }
    this.inner = paddedKeyDigest(keyBytes, (byte) 0x36);
    this.outer = paddedKeyDigest(keyBytes, (byte) 0x5c);
  }

  /** A key from raw bytes (tests, or a key provisioned by other means). */
  public static HashKey of(byte[] keyBytes) {
    return new HashKey(keyBytes);
  }

  /**
   * Reads {@code dataDir/hash.key}, creating it on first start with {@value #KEY_BYTES} random
   * bytes and permissions 0600 (where the file system supports POSIX permissions). Blocking file
   * I/O: call at boot, not on an event loop.
   *
   * @throws IOException when the directory or file cannot be read or written
   * @throws IllegalStateException when an existing key file has the wrong length
   */
  public static HashKey loadOrCreate(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      create(dataDir, file);
    }
    warnIfShared(file);
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length != KEY_BYTES) {
      throw new IllegalStateException("Hash key file " + file + " has " + bytes.length + " bytes, expected " + KEY_BYTES
          + "; restore it from backup or remove it to start a new key (hashes will change)");
    }
    return new HashKey(bytes);
  }

  private static void create(Path dataDir, Path file) throws IOException {
    byte[] bytes = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(bytes);
    boolean posix = Files.getFileStore(dataDir).supportsFileAttributeView("posix");
    Path tmp = posix
        ? Files.createTempFile(dataDir, FILE_NAME, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
        : Files.createTempFile(dataDir, FILE_NAME, ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    }
    try {
      // Written whole to a temp file first, so a crash never leaves a short key behind.
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A key others can read lets them link hashes back to card numbers by brute force. */
  private static void warnIfShared(Path file) throws IOException {
    if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(perms)) {
      LOG.log(System.Logger.Level.WARNING, "Hash key file is accessible to other users; restrict it to 0600 path={0} permissions={1}",
          file, PosixFilePermissions.toString(perms));
    }
  }

  private static final System.Logger LOG = System.getLogger(HashKey.class.getName());

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  /** The keyed hash of {@code value}: lowercase hex, {@value #HEX_CHARS} characters. */
  public String hash(String value) {
    MessageDigest in = copy(inner);
    in.update(value.getBytes(StandardCharsets.UTF_8));
    MessageDigest out = copy(outer);
    out.update(in.digest());
    return HEX.formatHex(out.digest(), 0, HEX_CHARS / 2);
  }

  private static MessageDigest paddedKeyDigest(byte[] key, byte pad) {
    byte[] block = new byte[BLOCK_BYTES];
    for (int i = 0; i < BLOCK_BYTES; i++) {
      block[i] = (byte) ((i < key.length ? key[i] : 0) ^ pad);
    }
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(block);
      copy(d); // fail at construction, not on the first message, if the digest cannot be cloned
      return d;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static MessageDigest copy(MessageDigest prototype) {
    try {
      return (MessageDigest) prototype.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
    }
  }

  @Override
  public String toString() {
    return "HashKey[redacted]";
  }
}
