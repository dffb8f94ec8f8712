package io.commguard.gateway.privacy;

import io.commguard.gateway.security.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

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
  /**
   * Attribute an event carries beside its hashed values: the {@link #id()} of the key that made
   * them. The uplink moves it into the alert's {@code hash_key_id} field.
   */
  public static final String ID_ATTRIBUTE = "hashKeyId";
  /** Length of a key id in hex characters. */
  public static final int ID_CHARS = 8;

  private static final int BLOCK_BYTES = 64;
  private static final HexFormat HEX = HexFormat.of();

  /** SHA-256 after the inner and the outer padded key: prototypes, only ever cloned. */
  private final MessageDigest inner;
  private final MessageDigest outer;

  private final String id;

  private HashKey(byte[] keyBytes) {
    if (keyBytes.length != KEY_BYTES) {
      throw new IllegalArgumentException("hash key must be " + KEY_BYTES + " bytes, was " + keyBytes.length);
    }
    this.inner = paddedKeyDigest(keyBytes, (byte) 0x36);
    this.outer = paddedKeyDigest(keyBytes, (byte) 0x5c);
    this.id = fingerprint(keyBytes);
  }

  /**
   * The key's id: the first {@value #ID_CHARS} hex characters of the SHA-256 of the key. Carried in
   * every alert (field {@code hash_key_id}) so the platform knows which key made a hash; it reveals
   * nothing usable about the key.
   */
  public String id() {
    return id;
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
   * @throws IllegalStateException when an existing key file has the wrong length, or the data
   *     directory or key file could be changed or read by another user ({@link PrivateFiles})
   */
  public static HashKey loadOrCreate(Path dataDir) throws IOException {
    PrivateFiles.trustedDirectory(dataDir);
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      write(dataDir, file, random());
    }
    PrivateFiles.trustedSecret(file);
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length != KEY_BYTES) {
      throw new IllegalStateException("Hash key file " + file + " has " + bytes.length + " bytes, expected " + KEY_BYTES
          + "; restore it from backup or remove it to start a new key (hashes will change)");
    }
    return new HashKey(bytes);
  }

  /**
   * Replaces the key in {@code dataDir} by a new random one. The old key is overwritten, not kept:
   * hashes made before cannot be linked to hashes made after, and alerts say which key made theirs.
   * A running gateway keeps its key until it restarts. Blocking file I/O.
   *
   * @return the ids of the old key (null when there was none) and of the new one
   */
  public static Rotation rotate(Path dataDir) throws IOException {
    PrivateFiles.trustedDirectory(dataDir);
    Path file = dataDir.resolve(FILE_NAME);
    String old = null;
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] bytes = Files.readAllBytes(file);
      old = bytes.length == KEY_BYTES ? fingerprint(bytes) : "unreadable";
    }
    byte[] fresh = random();
    write(dataDir, file, fresh);
    return new Rotation(old, fingerprint(fresh));
  }

  /** The outcome of {@link #rotate}. */
  public record Rotation(String oldId, String newId) {}

  private static byte[] random() {
    byte[] bytes = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static String fingerprint(byte[] keyBytes) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(keyBytes), 0, ID_CHARS / 2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static void write(Path dataDir, Path file, byte[] bytes) throws IOException {
    boolean posix = Files.getFileStore(dataDir).supportsFileAttributeView("posix");
    Path tmp = posix
        ? Files.createTempFile(dataDir, FILE_NAME, ".tmp", PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_ONLY_FILE))
        : Files.createTempFile(dataDir, FILE_NAME, ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    }
    try {
      // Written whole to a temp file first, so a crash never leaves a short key behind.
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }


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
