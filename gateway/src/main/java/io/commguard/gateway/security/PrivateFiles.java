package io.commguard.gateway.security;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The gateway's data directory and the secrets in it are trusted only when nobody else can change
 * them: another user who can write the directory can plant a key (making every uplinked card hash
 * brute-forceable) or swap a database. The gateway refuses to start rather than warn; each refusal
 * names the path and the command that fixes it. New files are created 0600 and directories 0700.
 *
 * <p>Blocking file I/O, called at boot. Where the file system has no POSIX permissions (or no
 * owner ids), the checks are skipped: there is nothing to check them against.
 */
public final class PrivateFiles {
  public static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> GROUP_OR_OTHER_WRITE = Set.of(
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
  private static final Set<PosixFilePermission> GROUP_OR_OTHER_ANY = Set.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private PrivateFiles() {}

  /**
   * Creates {@code dir} (0700) when it is missing, else checks that this process's user owns it and
   * that neither group nor others may write it.
   *
   * @throws IllegalStateException naming the directory and the fix
   */
  public static void trustedDirectory(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      createDirectories(dir);
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("Data directory " + dir + " is not a directory");
    }
    if (!posix(dir)) {
      return;
    }
    checkOwner(dir, "Data directory");
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
    if (perms.stream().anyMatch(GROUP_OR_OTHER_WRITE::contains)) {
      throw new IllegalStateException("Data directory " + dir + " is writable by other users ("
          + PosixFilePermissions.toString(perms) + "): anyone could plant a hash key or swap a database. "
          + "Fix with: chmod 700 " + quoted(dir));
    }
  }

  /**
   * Checks a secret file: owned by this process's user, no permission at all for group or others.
   *
   * @throws IllegalStateException naming the file and the fix
   */
  public static void trustedSecret(Path file) throws IOException {
    if (!posix(file)) {
      return;
    }
    checkOwner(file, "Secret file");
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
    if (perms.stream().anyMatch(GROUP_OR_OTHER_ANY::contains)) {
      throw new IllegalStateException("Secret file " + file + " is accessible to other users ("
          + PosixFilePermissions.toString(perms) + "); it must be readable by the gateway's user only. "
          + "If you did not make this file yourself, remove it (a new key is made at start); else fix with: chmod 600 "
          + quoted(file));
    }
  }

  /**
   * Makes sure {@code file} exists and is 0600 before a library (SQLite) opens it: a missing file is
   * created empty with 0600 (SQLite treats an empty file as a new database and gives its journal
   * files the same mode); an existing one of ours is narrowed to 0600.
   */
  public static void ownerOnlyFile(Path file) throws IOException {
    if (!posix(file.toAbsolutePath().getParent())) {
      return;
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
    } catch (FileAlreadyExistsException e) {
      checkOwner(file, "Data file");
      if (!OWNER_ONLY_FILE.containsAll(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS))) {
        Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
      }
    }
  }

  /** Creates {@code dir} and missing parents; the directories made here are 0700. */
  public static void createDirectories(Path dir) throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && !Files.exists(parent)) {
      createDirectories(parent);
    }
    if (posix(parent)) {
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR); // the umask may have narrowed nothing or too much
      } catch (FileAlreadyExistsException e) {
        // made by someone else meanwhile: checked by the caller
      }
    } else {
      Files.createDirectories(dir);
    }
  }

  private static void checkOwner(Path path, String what) throws IOException {
    Integer uid = processUid();
    if (uid == null) {
      return;
    }
    Object owner = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    if (!uid.equals(owner)) {
      throw new IllegalStateException(what + " " + path + " belongs to user id " + owner + ", not to the gateway's user ("
          + uid + "). Fix with: chown " + System.getProperty("user.name") + " " + quoted(path)
          + " (or run the gateway as its owner)");
    }
  }

  /** The effective user id of this process, from {@code /proc/self}; null where there is none. */
  private static Integer processUid() throws IOException {
    Path self = Path.of("/proc/self");
    if (!Files.exists(self)) {
      return null;
    }
    try {
      return (Integer) Files.getAttribute(self, "unix:uid");
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }

  private static boolean posix(Path path) throws IOException {
    return path != null && Files.getFileStore(path).supportsFileAttributeView("posix");
  }

  private static String quoted(Path p) {
    String s = p.toAbsolutePath().toString();
    return s.matches("[A-Za-z0-9_./-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
