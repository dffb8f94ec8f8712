package io.commguard.gateway.admin.devices;

import io.commguard.gateway.config.ConfigLoader;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.model.DeviceState;
import io.commguard.gateway.registry.DeviceRegistry;
import io.commguard.gateway.registry.Origin;
import io.commguard.gateway.registry.RegisteredDevice;
import io.commguard.gateway.security.GeneratedPasswords;
import io.commguard.gateway.validation.InvalidInputException;
import io.commguard.gateway.validation.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a technician does to devices at run time — add, change, remove, change state, new
 * credentials, bulk import and export — over the {@link DeviceRegistry}. Devices of the config file
 * are refused ({@link ConfigDeviceException}): the file is how they change.
 *
 * <p>Threads: CSV parsing and password hashing run on the {@code provisioning} threads (one fewer
 * than the cores, at least one: an import's hashing is a short burst, split across them, and never
 * takes every core from the alarm path), never on an event loop and never on the devices' login
 * verifiers;
 * every method returns at once with a stage that completes there or on the registry's thread.
 */
public final class Provisioning implements AutoCloseable {
  private static final Pattern BATCH_PATH = Pattern.compile("devices\\[(\\d+)\\](?:\\.([A-Za-z]+))?(?:\\.([A-Za-z]+))?.*");

  private final DeviceRegistry registry;
  private final Predicate<DeviceConfig> logsIn;
  private final int threads;
  private final ExecutorService pool;

  /** A device of the config file: it changes only there. */
  public static final class ConfigDeviceException extends RuntimeException {
    public ConfigDeviceException(String id) {
      super("device '" + id + "' is declared in the config file; change it there and reload");
    }
  }

  /** A device with {@code id} exists already (adding) or does not (changing). */
  public static final class ExistenceException extends RuntimeException {
    public final boolean exists;

    ExistenceException(String id, boolean exists) {
      super(exists ? "a device with id '" + id + "' exists" : "no device with id '" + id + "'");
      this.exists = exists;
    }
  }

  /** The device does not log in, so it has no password to rotate. */
  public static final class NoLoginException extends RuntimeException {
    NoLoginException(String id) {
      super("device '" + id + "' does not log in; it has no password");
    }
  }

  /** A device added, with its generated password (null when its source has no login). */
  public record Created(RegisteredDevice device, String password) {}

  /**
   * The outcome of an import: with {@code applied} false, a dry run (or a refused apply) and its
   * errors; else what it created and changed and the new devices' credentials as CSV.
   */
  public record ImportResult(boolean applied, int valid, List<DeviceCsv.RowError> errors, int created, int updated,
      int unchanged, String credentialsCsv) {}

  /** @param logsIn true for a device whose source makes it log in with a password */
  public Provisioning(DeviceRegistry registry, Predicate<DeviceConfig> logsIn) {
    this.registry = registry;
    this.logsIn = logsIn;
    this.threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "provisioning-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public DeviceRegistry registry() {
    return registry;
  }

  /** Adds a new device; a password is generated for it when its source has logins. */
  public CompletionStage<Created> create(DeviceConfig input) {
    String id = input.id();
    if (id == null || !ConfigLoader.DEVICE_ID.matcher(id).matches()) {
      return CompletableFuture.failedFuture(invalid("id", "required: 1-64 letters, digits, '.', '_' or '-'"));
    }
    if (registry.get(id) != null) {
      return CompletableFuture.failedFuture(registry.get(id).origin() == Origin.CONFIG
          ? new ConfigDeviceException(id) : new ExistenceException(id, true));
    }
    DeviceConfig device = input.withPasswordHash(null);
    String password = logsIn.test(device) ? GeneratedPasswords.generate() : null;
    CompletableFuture<String> hash = password == null ? CompletableFuture.completedFuture(null)
        : CompletableFuture.supplyAsync(() -> GeneratedPasswords.hash(password), pool);
    return hash.thenCompose(h -> registry.put(device.withPasswordHash(h)))
        .thenApply(changes -> new Created(registry.get(id), password));
  }

  /** Replaces a run-time device's settings; its password and rule overrides stay. */
  public CompletionStage<RegisteredDevice> update(String id, DeviceConfig input) {
    RegisteredDevice existing;
    try {
      existing = changeable(id);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    DeviceConfig next = new DeviceConfig(id, input.profile(), existing.config().passwordHash(), input.site(),
        input.location(), existing.config().rules(), input.state(), input.bindings());
    return registry.put(next).thenApply(c -> registry.get(id));
  }

  public CompletionStage<Void> remove(String id) {
    try {
      changeable(id);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return registry.remove(id).thenApply(c -> null);
  }

  public CompletionStage<RegisteredDevice> setState(String id, DeviceState state) {
    try {
      changeable(id);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return registry.setState(id, state).thenApply(c -> registry.get(id));
  }

  /**
   * A new generated password for a run-time device whose source has logins; only its hash is
   * kept. The device's open session stays; its next login needs the new password.
   */
  public CompletionStage<String> rotate(String id) {
    RegisteredDevice existing;
    try {
      existing = changeable(id);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (!logsIn.test(existing.config())) {
      return CompletableFuture.failedFuture(new NoLoginException(id));
    }
    String password = GeneratedPasswords.generate();
    return CompletableFuture.supplyAsync(() -> GeneratedPasswords.hash(password), pool)
        .thenCompose(h -> registry.put(registry.get(id).config().withPasswordHash(h)))
        .thenApply(c -> password);
  }

  private RegisteredDevice changeable(String id) {
    RegisteredDevice existing = registry.get(id);
    if (existing == null) {
      throw new ExistenceException(id, false);
    }
    if (existing.origin() == Origin.CONFIG) {
      throw new ConfigDeviceException(id);
    }
    return existing;
  }

  /**
   * Checks a CSV file (see {@link DeviceCsv}) with the file's own checks and the registry's; with
   * {@code apply}, and only when no row has a problem, adds and changes every device of it in one
   * registry transaction. New devices with logins get generated passwords, hashed in parallel.
   */
  public CompletionStage<ImportResult> importCsv(byte[] csv, boolean apply, Messages msg) {
    return CompletableFuture.supplyAsync(() -> DeviceCsv.parse(csv, msg), pool).thenCompose(parsed -> {
      List<DeviceCsv.Row> rows = parsed.rows();
      List<DeviceCsv.RowError> errors = new ArrayList<>(parsed.errors());
      List<DeviceConfig> batch = new ArrayList<>(rows.size());
      for (DeviceCsv.Row row : rows) {
        RegisteredDevice existing = registry.get(row.device().id());
        if (existing != null && existing.origin() == Origin.CONFIG) {
          errors.add(new DeviceCsv.RowError(row.row(), "id", msg.get("config_device", row.device().id())));
        }
        batch.add(merged(row, existing));
      }
      return registry.check(batch).thenCompose(problems -> {
        // One error per cell: the file's own (translated) error wins over the registry's on the same cell.
        for (DeviceCsv.RowError e : rowErrors(problems, rows, msg)) {
          if (e.row() == 0 || errors.stream().noneMatch(x -> x.row() == e.row() && x.column().equals(e.column()))) {
            errors.add(e);
          }
        }
        errors.sort(java.util.Comparator.comparingInt(DeviceCsv.RowError::row));
        int valid = (int) rows.stream().filter(r -> errors.stream().noneMatch(e -> e.row() == r.row())).count();
        if (!apply || !errors.isEmpty()) {
          return CompletableFuture.completedFuture(new ImportResult(false, valid, errors, 0, 0, 0, null));
        }
        return applyImport(batch, valid, msg);
      });
    });
  }

  /** A row as the registry will hold it: an existing device keeps its password, rules and (when the row has none) state. */
  private static DeviceConfig merged(DeviceCsv.Row row, RegisteredDevice existing) {
    DeviceConfig d = row.device();
    if (existing == null) {
      return d;
    }
    DeviceConfig e = existing.config();
    return new DeviceConfig(d.id(), d.profile(), e.passwordHash(), d.site(), d.location(), e.rules(),
        row.stateGiven() ? d.state() : e.state(), d.bindings());
  }

  private CompletionStage<ImportResult> applyImport(List<DeviceConfig> batch, int valid, Messages msg) {
    Map<String, String> passwords = new LinkedHashMap<>();
    List<Integer> needHash = new ArrayList<>();
    int created = 0;
    int updated = 0;
    int unchanged = 0;
    for (int i = 0; i < batch.size(); i++) {
      DeviceConfig d = batch.get(i);
      RegisteredDevice existing = registry.get(d.id());
      if (existing == null) {
        created++;
        if (logsIn.test(d)) {
          passwords.put(d.id(), GeneratedPasswords.generate());
          needHash.add(i);
        }
      } else if (existing.config().equals(d)) {
        unchanged++;
      } else {
        updated++;
      }
    }
    int c = created;
    int u = updated;
    int same = unchanged;
    return hashAll(batch, needHash, passwords)
        .thenCompose(registry::putAll)
        .thenApply(changes -> new ImportResult(true, valid, List.of(), c, u, same, DeviceCsv.credentials(passwords)))
        .exceptionallyCompose(error -> {
          Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
              ? error.getCause() : error;
          if (cause instanceof InvalidInputException invalid) {
            // Another change came in between the check and the apply: the same errors, nothing applied.
            List<DeviceCsv.RowError> errors = new ArrayList<>();
            invalid.problems().forEach(p -> errors.add(new DeviceCsv.RowError(0, "", msg.get("check") + p.path() + ": " + p.reason())));
            return CompletableFuture.completedFuture(new ImportResult(false, 0, errors, 0, 0, 0, null));
          }
          return CompletableFuture.failedFuture(cause);
        });
  }

  /** Hashes the passwords of the devices at {@code indexes} in parallel, one slice per provisioning thread. */
  private CompletableFuture<List<DeviceConfig>> hashAll(List<DeviceConfig> batch, List<Integer> indexes,
      Map<String, String> passwords) {
    DeviceConfig[] out = batch.toArray(DeviceConfig[]::new);
    List<CompletableFuture<Void>> slices = new ArrayList<>();
    int per = Math.max(1, (indexes.size() + threads - 1) / threads);
    for (int from = 0; from < indexes.size(); from += per) {
      List<Integer> slice = indexes.subList(from, Math.min(indexes.size(), from + per));
      slices.add(CompletableFuture.runAsync(() -> {
        for (int i : slice) {
          out[i] = out[i].withPasswordHash(GeneratedPasswords.hash(passwords.get(out[i].id())));
        }
      }, pool));
    }
    return CompletableFuture.allOf(slices.toArray(CompletableFuture[]::new)).thenApply(v -> List.of(out));
  }

  /** Registry problems as row errors: {@code devices[i].modbus.unitId} becomes row of batch entry i, column modbusUnitId. */
  private static List<DeviceCsv.RowError> rowErrors(List<Problem> problems, List<DeviceCsv.Row> rows, Messages msg) {
    List<DeviceCsv.RowError> out = new ArrayList<>();
    for (Problem p : problems) {
      Matcher m = BATCH_PATH.matcher(p.path() == null ? "" : p.path());
      if (!m.matches()) {
        out.add(new DeviceCsv.RowError(0, "", msg.get("check") + p.path() + ": " + p.reason()));
        continue;
      }
      int row = rows.get(Integer.parseInt(m.group(1))).row();
      out.add(new DeviceCsv.RowError(row, column(m.group(2), m.group(3)), msg.get("check") + p.reason()));
    }
    return out;
  }

  private static String column(String key, String sub) {
    if (key == null) {
      return "";
    }
    if (key.equals(DeviceCsv.MODBUS_KEY)) {
      return "unitId".equals(sub) ? "modbusUnitId" : "modbusLink";
    }
    return DeviceCsv.COLUMNS.contains(key) ? key : "";
  }

  /** The devices added at run time as CSV (config-file devices are in the config file). */
  public CompletionStage<byte[]> exportCsv() {
    return CompletableFuture.supplyAsync(() -> DeviceCsv.write(registry.devices().values().stream()
        .filter(d -> d.origin() == Origin.RUNTIME).map(RegisteredDevice::config).toList()), pool);
  }

  private static InvalidInputException invalid(String path, String reason) {
    return new InvalidInputException(List.of(new Problem("request", path, reason)));
  }

  @Override
  public void close() throws InterruptedException {
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.SECONDS);
  }
}
