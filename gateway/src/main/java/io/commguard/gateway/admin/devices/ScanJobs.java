package io.commguard.gateway.admin.devices;

import io.commguard.gateway.source.LinkScanning;
import io.commguard.gateway.source.LinkScanning.ScanProgress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The link scans started through the API, by job id: each with its latest progress, kept after it
 * ends so its answer can be read. Bounded: at most {@value #MAX_JOBS} are kept; starting one more
 * forgets the oldest that has ended (running scans are never forgotten, and there is at most one
 * per link). Thread-safe: progress arrives on a source thread, reads come from the event loop.
 */
final class ScanJobs {
  static final int MAX_JOBS = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One scan and what it found so far. */
  static final class Job {
    final String id;
    final String link;
    final int first;
    final int last;
    final String by;
    final Instant started;
    volatile ScanProgress progress;
    volatile Instant finished;
    volatile LinkScanning.Scan scan;

    Job(String id, String link, int first, int last, String by, Instant started) {
      this.id = id;
      this.link = link;
      this.first = first;
      this.last = last;
      this.by = by;
      this.started = started;
      this.progress = new ScanProgress(0, last - first + 1, first, java.util.List.of(), false, false, null);
    }

    /** {@code running}, {@code done}, {@code cancelled} or {@code failed}. */
    String state() {
      ScanProgress p = progress;
      return !p.finished() ? "running" : p.failure() != null ? "failed" : p.cancelled() ? "cancelled" : "done";
    }
  }

  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final Clock clock;

  ScanJobs(Clock clock) {
    this.clock = clock;
  }

  /** A new job for {@code link}, or the running one of that link in {@code running} when there is one. */
  synchronized Job create(String link, int first, int last, String by) {
    if (jobs.size() >= MAX_JOBS) {
      jobs.values().stream().filter(j -> j.progress.finished()).findFirst().ifPresent(j -> jobs.remove(j.id));
    }
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    Job job = new Job("scan-" + HexFormat.of().formatHex(random), link, first, last, by, clock.instant());
    jobs.put(job.id, job);
    return job;
  }

  synchronized void forget(Job job) {
    jobs.remove(job.id);
  }

  /** Records progress; the first finished one stamps the end time. */
  void progress(Job job, ScanProgress p) {
    job.progress = p;
    if (p.finished() && job.finished == null) {
      job.finished = clock.instant();
    }
  }

  synchronized Optional<Job> get(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  /** The latest job of a link (running or not). */
  synchronized Optional<Job> latest(String link) {
    Job latest = null;
    for (Job j : jobs.values()) {
      if (j.link.equals(link)) {
        latest = j;
      }
    }
    return Optional.ofNullable(latest);
  }

  synchronized boolean full() {
    return jobs.size() >= MAX_JOBS && jobs.values().stream().noneMatch(j -> j.progress.finished());
  }
}
