package io.commguard.gateway.receiver;

import io.commguard.alert.v1.GatewayStatus;
import io.commguard.gateway.config.TlsConfig;
import io.commguard.gateway.metrics.Untrusted;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gateway receiver}: the reference city receiver, run until Ctrl-C. */
@Command(name = "receiver", mixinStandardHelpOptions = true,
    description = "Reference city receiver: subscribes to gateway alert batches with an MQTT 5 shared subscription, "
        + "de-duplicates, stores them (SQLite or JSON lines), acknowledges them and prints a live view. "
        + "Start several with the same --group to split the load.")
public final class ReceiverCommand implements Callable<Integer> {
  @Option(names = "--broker", required = true, description = "City broker URL, e.g. tcp://broker:1883 or ssl://broker:8883")
  String broker;

  @Option(names = "--group", defaultValue = "commguard-receivers", description = "Shared subscription group (default: ${DEFAULT-VALUE})")
  String group;

  @Option(names = "--topic", defaultValue = "city/+/alerts", description = "Alert topic filter (default: ${DEFAULT-VALUE})")
  String topic;

  @Option(names = "--ack-topic", defaultValue = "city/{gatewayId}/acks", description = "Ack topic; {gatewayId} is replaced (default: ${DEFAULT-VALUE})")
  String ackTopic;

  @Option(names = "--acks", defaultValue = "PLATFORM", description = "PLATFORM publishes Acks, NONE does not (gateways in BROKER ack mode) (default: ${DEFAULT-VALUE})")
  CityReceiver.AckPolicy acks;

  @Option(names = "--out", defaultValue = "received-alerts.db", description = "SQLite file, or a .jsonl file for JSON lines (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--client-id", description = "MQTT client id (default: generated)")
  String clientId;

  @Option(names = "--username", description = "MQTT user name")
  String username;

  @Option(names = "--password-env", description = "Environment variable holding the MQTT password")
  String passwordEnv;

  @Option(names = "--ca", description = "PEM CA file to trust (TLS)")
  String ca;

  @Option(names = "--cert", description = "PEM client certificate (mutual TLS)")
  String cert;

  @Option(names = "--key", description = "PEM PKCS#8 client key (mutual TLS)")
  String key;

  @Option(names = "--hmac-key", paramLabel = "[GATEWAY_ID=]FILE",
      description = "Accept only batches signed with this key (raw bytes, mode 0600); repeat for several keys; "
          + "GATEWAY_ID= binds the key to one gateway. Unsigned, wrongly signed and replayed batches are refused and counted")
  List<String> hmacKeys;

  @Option(names = "--status-topic", defaultValue = "city/+/status",
      description = "Gateway status topic filter; every receiver instance follows every gateway's status (default: ${DEFAULT-VALUE})")
  String statusTopic;

  @Option(names = "--silent-after", defaultValue = "3",
      description = "Show a gateway as silent after this many of its status intervals without a status (default: ${DEFAULT-VALUE})")
  int silentAfter;

  @Option(names = "--quiet", description = "Do not print each alert or status")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    TlsConfig tls = ca == null && cert == null ? null : new TlsConfig(ca, cert, key);
    CityReceiver.Options options = new CityReceiver.Options(broker, clientId, group, topic, ackTopic, acks, this.out,
        username, passwordEnv, tls, hmacKeys, statusTopic, silentAfter);
    CountDownLatch stopped = new CountDownLatch(1);
    CityReceiver.GatewayListener gateways = new CityReceiver.GatewayListener() {
      @Override
      public void status(GatewayStatus status) {
        if (!quiet) {
          out.println(AlertPrinter.statusLine(status));
        }
      }

      @Override
      public void silent(String gatewayId, long silentForMs, long intervalMs) {
        out.println("SILENT " + Untrusted.label(gatewayId) + ": no status for " + silentForMs / 1000 + " s (one every "
            + intervalMs / 1000 + " s expected)");
      }

      @Override
      public void back(String gatewayId, long silentForMs) {
        out.println("BACK " + Untrusted.label(gatewayId) + " after " + silentForMs / 1000 + " s of silence");
      }
    };
    try (CityReceiver receiver = new CityReceiver(options, a -> {
      if (!quiet) {
        out.println(AlertPrinter.line(a));
      }
    }, gateways)) {
      try {
        receiver.start();
      } catch (IllegalStateException e) {
        System.err.println(e.getMessage()); // an unusable --hmac-key: the message names the file and the fix
        return 2;
      }
      out.println("Receiving " + receiver.sharedTopic() + " from " + broker + " into " + this.out + " (Ctrl-C to stop)");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        receiver.close();
        CityReceiver.Stats s = receiver.stats();
        out.println("Receiver stopped. batches=" + s.batches() + " alerts=" + s.alerts() + " stored=" + s.stored()
            + " duplicates=" + s.duplicates() + " malformed=" + s.malformed() + refusedCounts(s)
            + " gateways=" + receiver.lastStatuses().size() + " silent=" + receiver.silentGateways().size());
        stopped.countDown();
      }, "receiver-shutdown"));
      stopped.await();
    }
    return 0;
  }

  private static String refusedCounts(CityReceiver.Stats s) {
    StringBuilder out = new StringBuilder();
    s.refused().forEach((reason, n) -> out.append(" refused.").append(reason).append('=').append(n));
    return out.toString();
  }
}
