package io.commguard.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gateway devices ...}: the running gateway's devices through its admin API
 * (docs/provisioning.md). Exit 0 on success, 1 when the gateway refuses or cannot be reached
 * (the reason on stderr), 2 for a dry run with errors.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
    description = "List, add, change, import, watch, test-read and scan the running gateway's devices (through its admin API).",
    subcommands = {DevicesCommand.ListDevices.class, DevicesCommand.Show.class, DevicesCommand.Add.class,
        DevicesCommand.Remove.class, DevicesCommand.Enable.class, DevicesCommand.Disable.class,
        DevicesCommand.Commission.class, DevicesCommand.Credentials.class, DevicesCommand.Import.class,
        DevicesCommand.Export.class, DevicesCommand.Watch.class, DevicesCommand.TestRead.class, DevicesCommand.Scan.class})
final class DevicesCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** A subcommand: connects, runs, reports a refusal on stderr. */
  abstract static class Base implements Callable<Integer> {
    @Mixin AdminClient.Options options;
    PrintStream out = System.out;

    @Override
    public final Integer call() throws Exception {
      try {
        return run(AdminClient.of(options, System.getenv()));
      } catch (AdminClient.Failure e) {
        System.err.println(e.getMessage());
        return 1;
      }
    }

    abstract int run(AdminClient api) throws Exception;

    void print(JsonNode json) {
      out.println(json.toPrettyString());
    }
  }

  static String path(String id) {
    return "/devices/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? "-" : n.asText().isEmpty() ? "-" : n.asText();
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every device with its status.")
  static final class ListDevices extends Base {
    @Option(names = "--status", description = "online, offline, never or rejecting")
    String status;

    @Option(names = "--site", description = "Site prefix, e.g. 310115001/G-07")
    String site;

    @Option(names = "--state", description = "enabled, commissioning or disabled")
    String state;

    @Override
    int run(AdminClient api) throws Exception {
      List<String> query = new ArrayList<>();
      if (status != null) {
        query.add("status=" + URLEncoder.encode(status, StandardCharsets.UTF_8));
      }
      if (site != null) {
        query.add("site=" + URLEncoder.encode(site, StandardCharsets.UTF_8));
      }
      if (state != null) {
        query.add("state=" + URLEncoder.encode(state, StandardCharsets.UTF_8));
      }
      JsonNode devices = api.json("GET", "/devices" + (query.isEmpty() ? "" : "?" + String.join("&", query)), null);
      if (options.json) {
        print(devices);
        return 0;
      }
      String row = "%-24s %-28s %-13s %-8s %-20s %-16s %s%n";
      out.printf(row, "ID", "PROFILE", "STATE", "STATUS", "LAST SEEN", "PEER", "LAST REJECTION");
      for (JsonNode d : devices) {
        JsonNode s = d.path("status");
        out.printf(row, d.path("id").asText(), d.path("profile").asText(), d.path("state").asText(),
            text(s.path("connection")), text(s.path("lastSeen")), text(s.path("peer")), text(s.path("lastRejection").path("reason")));
      }
      out.println(devices.size() + " device(s)");
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One device in full, with its status.")
  static final class Show extends Base {
    @Parameters(index = "0", description = "Device id")
    String id;

    @Override
    int run(AdminClient api) throws Exception {
      JsonNode d = api.json("GET", path(id), null);
      if (options.json) {
        print(d);
        return 0;
      }
      JsonNode s = d.path("status");
      out.printf("id             %s%nprofile        %s%nsite           %s%nlocation       %s%nstate          %s%n"
              + "origin         %s%nsource         %s%nconnection     %s%nlast seen      %s%npeer           %s%n"
              + "firmware       %s%nlast event     %s %s%nlast rejection %s %s%ncounters       received=%s rejected=%s held=%s dropped=%s%n",
          d.path("id").asText(), d.path("profile").asText(), text(d.path("site")), text(d.path("location")),
          d.path("state").asText(), d.path("origin").asText(), d.path("source").asText(), text(s.path("connection")),
          text(s.path("lastSeen")), text(s.path("peer")), text(s.path("firmware")), text(s.path("lastEvent").path("type")),
          s.path("lastEvent").path("time").asText(""), text(s.path("lastRejection").path("reason")),
          s.path("lastRejection").path("time").asText(""), s.path("counters").path("received").asText(),
          s.path("counters").path("rejected").asText(), s.path("counters").path("held").asText(),
          s.path("counters").path("dropped").asText());
      return 0;
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Add a device; prints its generated password once (devices that log in).")
  static final class Add extends Base {
    @Parameters(index = "0", description = "Device id")
    String id;

    @Option(names = "--profile", required = true, description = "Profile id (gateway profiles list)")
    String profile;

    @Option(names = "--site", description = "community/grid/building/unit/floor/room")
    String site;

    @Option(names = "--location", description = "Free text, e.g. \"3-1-701 kitchen\"")
    String location;

    @Option(names = "--state", description = "enabled (default), commissioning or disabled")
    String state;

    @Option(names = "--topic", description = "MQTT topic filter (default devices/<id>/#)")
    String topic;

    @Option(names = "--modbus-link", description = "Modbus link id (modbusLinks in the config)")
    String modbusLink;

    @Option(names = "--modbus-unit", description = "Modbus unit id on the link (default 1)")
    Integer modbusUnit;

    @Override
    int run(AdminClient api) throws Exception {
      ObjectNode body = JsonNodeFactory.instance.objectNode().put("id", id).put("profile", profile);
      if (site != null) {
        body.put("site", site);
      }
      if (location != null) {
        body.put("location", location);
      }
      if (state != null) {
        body.put("state", state);
      }
      if (topic != null) {
        body.put("topic", topic);
      }
      if (modbusLink != null || modbusUnit != null) {
        ObjectNode modbus = body.putObject("modbus");
        if (modbusLink != null) {
          modbus.put("link", modbusLink);
        }
        if (modbusUnit != null) {
          modbus.put("unitId", modbusUnit);
        }
      }
      JsonNode created = api.json("POST", "/devices", body.toString());
      if (options.json) {
        print(created);
        return 0;
      }
      out.println("Added " + created.path("device").path("id").asText() + " (" + created.path("device").path("state").asText() + ")");
      if (created.hasNonNull("password")) {
        out.println("Password (shown once; load it into the device now): " + created.path("password").asText());
      }
      return 0;
    }
  }

  /** A command that posts to one device and prints the device it answers with. */
  abstract static class StateChange extends Base {
    @Parameters(index = "0", description = "Device id")
    String id;

    abstract String action();

    @Override
    int run(AdminClient api) throws Exception {
      JsonNode d = api.json("POST", path(id) + "/" + action(), null);
      if (options.json) {
        print(d);
      } else {
        out.println(d.path("id").asText() + " is now " + d.path("state").asText());
      }
      return 0;
    }
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Put a device in service.")
  static final class Enable extends StateChange {
    @Override
    String action() {
      return "enable";
    }
  }

  @Command(name = "disable", mixinStandardHelpOptions = true, description = "Take a device out of service: its session closes, its logins and polls stop.")
  static final class Disable extends StateChange {
    @Override
    String action() {
      return "disable";
    }
  }

  @Command(name = "commission", mixinStandardHelpOptions = true,
      description = "Put a device in commissioning: it works, and its alerts reach the city flagged as tests.")
  static final class Commission extends StateChange {
    @Override
    String action() {
      return "commission";
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a device added at run time.")
  static final class Remove extends Base {
    @Parameters(index = "0", description = "Device id")
    String id;

    @Override
    int run(AdminClient api) throws Exception {
      api.send("DELETE", path(id), null, null, false);
      out.println("Removed " + id);
      return 0;
    }
  }

  @Command(name = "credentials", mixinStandardHelpOptions = true,
      description = "Give a device a new generated password (printed once); the old one stops working at its next login.")
  static final class Credentials extends Base {
    @Parameters(index = "0", description = "Device id")
    String id;

    @Override
    int run(AdminClient api) throws Exception {
      JsonNode r = api.json("POST", path(id) + "/credentials", null);
      if (options.json) {
        print(r);
      } else {
        out.println("New password for " + id + " (shown once): " + r.path("password").asText());
      }
      return 0;
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Import devices from a CSV file (UTF-8, UTF-8 with BOM or GB18030), all or nothing; --dry-run only checks. Exit 2 when a row has a problem.")
  static final class Import extends Base {
    @Parameters(index = "0", arity = "0..1", description = "CSV file")
    Path file;

    @Option(names = "--dry-run", description = "Check every row and report the bad ones; change nothing")
    boolean dryRun;

    @Option(names = "--template", description = "Print the CSV template instead")
    boolean template;

    @Option(names = "--credentials-out", description = "Write the new devices' id,password CSV here (0600) instead of stdout")
    Path credentialsOut;

    @Override
    int run(AdminClient api) throws Exception {
      if (template) {
        out.write(api.send("GET", "/devices/import/template", null, null, false).body());
        out.flush();
        return 0;
      }
      if (file == null) {
        throw new AdminClient.Failure("give the CSV file to import, or --template");
      }
      byte[] csv;
      try {
        csv = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new AdminClient.Failure("cannot read " + file + ": " + e.getMessage());
      }
      var r = api.send("POST", "/devices/import?dryRun=" + dryRun, "text/csv", csv, true);
      JsonNode result = AdminClient.parse(r.body());
      if (r.statusCode() >= 400 && !result.has("errors")) {
        throw new AdminClient.Failure("HTTP " + r.statusCode() + " " + result.path("error").asText() + ": "
            + result.path("message").asText());
      }
      if (options.json) {
        print(result);
      } else if (result.has("errors")) {
        for (JsonNode e : result.path("errors")) {
          out.printf("row %-5s %-13s %s%n", e.path("row").asText(), e.path("column").asText(), e.path("reason").asText());
        }
        out.println(result.path("valid").asText() + " valid rows, " + result.path("errors").size() + " errors"
            + (dryRun ? "" : "; nothing imported"));
      } else {
        out.println("Imported: " + result.path("created").asText() + " created, " + result.path("updated").asText()
            + " updated, " + result.path("unchanged").asText() + " unchanged");
      }
      String credentials = result.path("credentialsCsv").asText("");
      if (!credentials.isEmpty() && !options.json) {
        if (credentialsOut != null) {
          io.commguard.gateway.security.PrivateFiles.ownerOnlyFile(credentialsOut);
          Files.writeString(credentialsOut, credentials, StandardCharsets.UTF_8);
          out.println("New devices' passwords written to " + credentialsOut + " (shown once; keep it safe)");
        } else {
          out.println("New devices' passwords (shown once):");
          out.print(credentials);
        }
      }
      return result.path("errors").size() > 0 ? 2 : 0;
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true, description = "Print the devices added at run time as CSV (the import's columns).")
  static final class Export extends Base {
    @Override
    int run(AdminClient api) throws Exception {
      out.write(api.send("GET", "/devices/export", null, null, false).body());
      out.flush();
      return 0;
    }
  }

  @Command(name = "watch", mixinStandardHelpOptions = true,
      description = "Print a device's decoded events as they arrive (every device's without an id), until Ctrl-C.")
  static final class Watch extends Base {
    @Parameters(index = "0", arity = "0..1", description = "Device id")
    String id;

    @Override
    int run(AdminClient api) throws Exception {
      try (var lines = api.lines(id == null ? "/events" : path(id) + "/events")) {
        for (String line : (Iterable<String>) lines::iterator) {
          if (!line.startsWith("data: ")) {
            continue;
          }
          if (options.json) {
            out.println(line.substring(6));
            continue;
          }
          JsonNode e = AdminClient.parse(line.substring(6).getBytes(StandardCharsets.UTF_8));
          StringBuilder fields = new StringBuilder();
          e.path("fields").fields().forEachRemaining(f -> fields.append(' ').append(f.getKey()).append('=').append(f.getValue().asText()));
          out.println(e.path("time").asText() + " " + e.path("device").asText() + " " + e.path("type").asText() + " "
              + e.path("decision").asText() + (e.path("test").asBoolean() ? " TEST" : "") + fields);
        }
      }
      return 0;
    }
  }

  @Command(name = "test", mixinStandardHelpOptions = true,
      description = "Read a polled device (Modbus) once: its raw registers beside the decoded fields, its conditions and the events a poll would deliver.")
  static final class TestRead extends Base {
    @Parameters(index = "0", description = "Device id")
    String id;

    @Override
    int run(AdminClient api) throws Exception {
      JsonNode r = api.json("POST", path(id) + "/test-read", null);
      if (options.json) {
        print(r);
        return 0;
      }
      out.println(r.path("device").asText() + " at " + r.path("peer").asText() + ", read in " + r.path("durationMs").asText() + " ms");
      String row = "%-16s %-8s %8s   %-20s %s%n";
      out.printf(row, "REGISTER", "RAW", "", "FIELD", "VALUE");
      for (JsonNode v : r.path("raw")) {
        List<JsonNode> fields = new ArrayList<>();
        for (JsonNode f : r.path("fields")) {
          if (f.path("table").asText().equals(v.path("table").asText()) && f.path("address").asInt() == v.path("address").asInt()) {
            fields.add(f);
          }
        }
        String register = v.path("table").asText() + " " + v.path("address").asText();
        if (fields.isEmpty()) {
          out.printf(row, register, v.path("hex").asText(), v.path("value").asText(), "", "");
        }
        for (JsonNode f : fields) {
          String unit = f.path("unit").asText();
          out.printf(row, register, v.path("hex").asText(), v.path("value").asText(), f.path("name").asText(),
              f.path("value").asText() + (unit.isEmpty() || !f.path("measurement").asBoolean() ? "" : " " + unit));
        }
      }
      if (!r.path("conditions").isEmpty()) {
        out.println();
        String condition = "%-20s %-14s %-7s %s%n";
        out.printf(condition, "CONDITION", "STATE", "ACTIVE", "TESTS");
        for (JsonNode c : r.path("conditions")) {
          JsonNode active = c.path("active");
          out.printf(condition, c.path("id").asText(), c.path("state").asText(),
              active.isNull() ? "?" : active.asBoolean() ? "yes" : "no", c.path("nativeCode").asText());
        }
      }
      out.println();
      out.println("Events a poll would deliver:" + (r.path("events").isEmpty() ? " none" : ""));
      for (JsonNode e : r.path("events")) {
        StringBuilder fields = new StringBuilder();
        e.path("fields").fields().forEachRemaining(f -> fields.append(' ').append(f.getKey()).append('=').append(f.getValue().asText()));
        out.println("  " + e.path("type").asText() + " " + e.path("phase").asText() + " level " + e.path("level").asText()
            + (e.path("code").asText().isEmpty() ? "" : " code=" + e.path("code").asText()) + fields);
      }
      for (JsonNode f : r.path("failures")) {
        out.println("FAILED " + f.path("what").asText() + ": " + f.path("reason").asText() + " (" + f.path("detail").asText() + ")");
      }
      return r.path("failures").isEmpty() ? 0 : 1;
    }
  }

  @Command(name = "scan", mixinStandardHelpOptions = true,
      description = "Probe a Modbus link's unit ids and list the ones that answer; the running polls keep their schedule.")
  static final class Scan extends Base {
    @Parameters(index = "0", description = "Link id (modbusLinks in the config)")
    String link;

    @Option(names = "--units", description = "Unit ids to probe, FIRST-LAST (default 1-247)")
    String units;

    /** How often the job is asked for its progress. */
    static final long POLL_MS = 300;

    @Override
    int run(AdminClient api) throws Exception {
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      if (units != null) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,3})(?:-(\\d{1,3}))?").matcher(units.trim());
        if (!m.matches()) {
          throw new AdminClient.Failure("--units must be FIRST-LAST or one unit id, e.g. 1-247; was " + units);
        }
        body.put("first", Integer.parseInt(m.group(1))).put("last", Integer.parseInt(m.group(2) == null ? m.group(1) : m.group(2)));
      }
      String linkPath = "/links/" + URLEncoder.encode(link, StandardCharsets.UTF_8).replace("+", "%20") + "/scan";
      JsonNode job = api.json("POST", linkPath, body.toString());
      String jobPath = "/scans/" + URLEncoder.encode(job.path("id").asText(), StandardCharsets.UTF_8);
      // Ctrl-C cancels the scan rather than leaving it to run on unwatched.
      Thread cancel = new Thread(() -> {
        try {
          api.send("DELETE", jobPath, null, null, true);
        } catch (AdminClient.Failure | InterruptedException ignored) {
          // the gateway is gone or the scan ended: nothing to cancel
        }
      });
      Runtime.getRuntime().addShutdownHook(cancel);
      int shown = -1;
      while (job.path("state").asText().equals("running")) {
        if (!options.json && job.path("probed").asInt() != shown) {
          shown = job.path("probed").asInt();
          System.err.print("\rprobed " + shown + "/" + job.path("total").asText() + ", answered " + job.path("answered").size());
        }
        Thread.sleep(POLL_MS);
        job = api.json("GET", jobPath, null);
      }
      Runtime.getRuntime().removeShutdownHook(cancel);
      if (options.json) {
        print(job);
      } else {
        System.err.println();
        String row = "%-6s %-34s %s%n";
        out.printf(row, "UNIT", "ANSWER", "DEVICE");
        for (JsonNode a : job.path("answered")) {
          String answer = a.path("exceptionCode").isNull() ? a.path("exception").isNull() ? "ok" : a.path("exception").asText()
              : "exception " + a.path("exceptionCode").asText() + " " + a.path("exception").asText();
          out.printf(row, a.path("unitId").asText(), answer, text(a.path("device")));
        }
        out.println(job.path("answered").size() + " unit id(s) answered of " + job.path("probed").asText() + " probed on link "
            + job.path("link").asText() + " (" + job.path("state").asText() + ")");
      }
      if (!job.path("failure").isNull()) {
        System.err.println("Scan stopped: " + job.path("failure").asText());
      }
      return job.path("state").asText().equals("done") ? 0 : 1;
    }
  }
}
