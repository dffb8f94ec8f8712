package io.commguard.gateway.outbox;

import com.google.protobuf.InvalidProtocolBufferException;
import io.commguard.alert.v1.Alert;
import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.metrics.Counters;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Outboxes on real SQLite files for the outbox tests ({@code @RegisterExtension}): each opened
 * and started with the named northbounds, all sharing {@link #counters}, every one closed after
 * the test; and the helpers those tests share to read what an outbox hands out.
 */
final class OutboxFixture implements AfterEachCallback {
  static final String GATEWAY_ID = "gw-test";

  final Counters counters = new Counters();
  private final List<SqliteOutbox> opened = new ArrayList<>();

  SqliteOutbox open(Path dir, OutboxConfig config, String... northbounds) {
    return open(dir, config, Clock.systemUTC(), northbounds);
  }

  SqliteOutbox open(Path dir, OutboxConfig config, Clock clock, String... northbounds) {
    SqliteOutbox outbox = new SqliteOutbox(config, dir, GATEWAY_ID, counters, clock);
    outbox.start(List.of(northbounds));
    opened.add(outbox);
    return outbox;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    opened.forEach(SqliteOutbox::close);
    opened.clear();
  }

  static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  static List<Long> sequences(List<OutboxRow> rows) {
    return rows.stream().map(OutboxRow::sequence).toList();
  }

  static Alert decode(OutboxRow row) {
    try {
      return Alert.parseFrom(row.payload());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
