package io.commguard.gateway.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one test so the disk can really fill up. Needs root (the CI runs as
 * root); when {@code mount} is not permitted, {@link #mount} returns null and
 * {@link #lastSkipReason()} says why, for the test to skip with that reason.
 */
public final class SmallTmpfs implements AutoCloseable {
  private static volatile String lastSkipReason = "";
  private final Path path;

  private SmallTmpfs(Path path) {
    this.path = path;
  }

  public static SmallTmpfs mount(Path where, String size) {
    try {
      Files.createDirectories(where);
      Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", where.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        lastSkipReason = "Assumption: disk-full test skipped, 'mount -t tmpfs' is not permitted here: " + out.trim();
        System.out.println(lastSkipReason);
        return null;
      }
      return new SmallTmpfs(where);
    } catch (IOException e) {
      lastSkipReason = "Assumption: disk-full test skipped, cannot run mount: " + e.getMessage();
      System.out.println(lastSkipReason);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  public static String lastSkipReason() {
    return lastSkipReason;
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("umount", "-l", path.toString()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    p.waitFor(10, TimeUnit.SECONDS);
  }
}
