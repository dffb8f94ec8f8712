package io.commguard.gateway.receiver;

import io.commguard.alert.v1.Alert;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the receiver keeps alerts, de-duplicated by (gateway_id, sequence): a resent alert is
 * recognised and not stored twice. Used from one thread.
 */
public interface ReceivedStore extends AutoCloseable {
  /** Stores the alerts durably; returns those that were new (the rest were duplicates). */
  List<Alert> store(List<Alert> alerts) throws IOException;

  @Override
  void close() throws IOException;

  /** {@code .jsonl}/{@code .json} files get JSON lines, anything else a SQLite database. */
  static ReceivedStore open(Path file) throws IOException {
    String name = file.getFileName().toString();
    return name.endsWith(".jsonl") || name.endsWith(".json") ? new JsonLinesStore(file) : new SqliteStore(file);
  }
}
