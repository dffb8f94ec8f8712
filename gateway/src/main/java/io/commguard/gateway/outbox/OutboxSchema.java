package io.commguard.gateway.outbox;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables of {@code outbox.db}: {@code meta} (last sequence, import marker), {@code outbox}
 * (alerts some northbound has still to deliver, with their encoded payload), {@code consumer} and
 * {@code pending} (the northbounds, and with several of them what each owes: {@link Consumers}),
 * {@code history}
 * (delivered alerts without payload) and the rule state's tables ({@link RuleStateTables}).
 * Created if missing; every change is additive, so a file of an earlier release opens as it is
 * (its undelivered alerts are handed to the northbounds by {@link Consumers#reconcile}).
 */
final class OutboxSchema {
  private OutboxSchema() {}

  static void create(Statement st) throws SQLException {
    st.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
    st.execute("CREATE TABLE IF NOT EXISTS outbox(sequence INTEGER PRIMARY KEY, alert_id TEXT NOT NULL,"
        + " device_id TEXT NOT NULL, type INTEGER NOT NULL, level INTEGER NOT NULL, state INTEGER NOT NULL,"
        + " priority INTEGER NOT NULL, evictable INTEGER NOT NULL, created_ms INTEGER NOT NULL,"
        + " bytes INTEGER NOT NULL, payload BLOB NOT NULL)");
    st.execute("CREATE INDEX IF NOT EXISTS outbox_send ON outbox(priority, sequence)");
    st.execute("CREATE INDEX IF NOT EXISTS outbox_device ON outbox(device_id, priority)");
    st.execute("CREATE INDEX IF NOT EXISTS outbox_evict ON outbox(evictable DESC, level DESC, sequence)");
    st.execute("CREATE TABLE IF NOT EXISTS history(sequence INTEGER PRIMARY KEY, alert_id TEXT NOT NULL,"
        + " device_id TEXT NOT NULL, type INTEGER NOT NULL, level INTEGER NOT NULL, state INTEGER NOT NULL,"
        + " created_ms INTEGER NOT NULL, delivered_ms INTEGER NOT NULL)");
    st.execute("CREATE INDEX IF NOT EXISTS history_delivered ON history(delivered_ms)");
    st.execute("CREATE TABLE IF NOT EXISTS consumer(name TEXT PRIMARY KEY, added_ms INTEGER NOT NULL)");
    st.execute("CREATE TABLE IF NOT EXISTS pending(sequence INTEGER NOT NULL, consumer TEXT NOT NULL,"
        + " priority INTEGER NOT NULL, PRIMARY KEY(sequence, consumer)) WITHOUT ROWID");
    st.execute("CREATE INDEX IF NOT EXISTS pending_send ON pending(consumer, priority, sequence)");
    RuleStateTables.create(st);
  }
}
