package io.commguard.gateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and memory of another process, read from Linux {@code /proc}. CPU is user+system time
 * in clock ticks of 10 ms ({@code CLK_TCK} is 100 on every Linux this runs on).
 */
public final class ProcStats {
  public static final double TICK_SECONDS = 0.01;

  private ProcStats() {}

  /** User + system CPU seconds used so far by {@code pid} (all threads). */
  public static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // the command name (field 2) may contain spaces; fields after it are space separated
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long utime = Long.parseLong(f[11]);
      long stime = Long.parseLong(f[12]);
      return (utime + stime) * TICK_SECONDS;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Peak resident set size in MiB ({@code VmHWM}). */
  public static double peakRssMib(long pid) {
    return statusKb(pid, "VmHWM:") / 1024.0;
  }

  /** Current resident set size in MiB ({@code VmRSS}). */
  public static double rssMib(long pid) {
    return rssKib(pid) / 1024.0;
  }

  /** Current resident set size in KiB ({@code VmRSS}). */
  public static long rssKib(long pid) {
    return statusKb(pid, "VmRSS:");
  }

  private static long statusKb(long pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
