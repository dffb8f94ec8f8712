package io.commguard.gateway.registry;

import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.model.DeviceState;
import io.commguard.gateway.validation.Problem;
import io.commguard.gateway.validation.ProblemCollector;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The live set of devices. Reads ({@link #devices()}, {@link #get}) are lock-free on an immutable
 * snapshot. Each change runs on the {@code device-registry} thread: the prospective device list is
 * checked as a whole ({@link DeviceCheck}), written in one SQLite transaction, published as the new
 * snapshot, then announced to every listener with what changed — in that order, so a listener
 * never sees a device the disk does not have. Changes queue without bound on that thread: they
 * come from the config file and operators, not from devices.
 *
 * <p>Devices declared in the config file ({@link Origin#CONFIG}) change only through it: {@link
 * #importConfig} replaces them all; the other methods refuse them.
 */
public final class DeviceRegistry implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(DeviceRegistry.class.getName());

  private final DeviceStore store;
  private final DeviceCheck check;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "device-registry");
    t.setDaemon(true);
    return t;
  });
  private final List<Consumer<DeviceChanges>> listeners = new CopyOnWriteArrayList<>();
  private volatile Map<String, RegisteredDevice> snapshot;

  private DeviceRegistry(DeviceStore store, DeviceCheck check, Map<String, RegisteredDevice> loaded) {
    this.store = store;
    this.check = check;
    this.snapshot = Collections.unmodifiableMap(loaded);
  }

  /** Opens {@code devices.db} in {@code dataDir} with the devices it holds. */
  public static DeviceRegistry open(Path dataDir, DeviceCheck check) throws Exception {
    DeviceStore store = DeviceStore.open(dataDir);
    try {
      return new DeviceRegistry(store, check, store.load());
    } catch (Exception e) {
      store.close();
      throw e;
    }
  }

  /** Every device, in service or not, by id. */
  public Map<String, RegisteredDevice> devices() {
    return snapshot;
  }

  /** The device {@code id}, or null. */
  public RegisteredDevice get(String id) {
    return snapshot.get(id);
  }

  /** Called on the registry thread after each committed change; must not block for long. */
  public void listen(Consumer<DeviceChanges> listener) {
    listeners.add(listener);
  }

  /**
   * Makes the config file's devices the {@link Origin#CONFIG} devices: new ones added, changed ones
   * replaced, ones no longer in the file removed. Devices added at run time stay, unless the file
   * now declares the same id (the file wins).
   */
  public CompletionStage<DeviceChanges> importConfig(List<DeviceConfig> declared) {
    return change(current -> {
      Map<String, DeviceConfig> next = new LinkedHashMap<>();
      current.values().stream().filter(d -> d.origin() == Origin.RUNTIME).forEach(d -> next.put(d.id(), d.config()));
      declared.forEach(d -> next.put(d.id(), d));
      return next;
    }, Set.copyOf(declared.stream().map(DeviceConfig::id).toList()));
  }

  /** Adds a device, or replaces one added at run time. */
  public CompletionStage<DeviceChanges> put(DeviceConfig device) {
    return change(current -> {
      refuseConfigDevice(current, device.id());
      Map<String, DeviceConfig> next = configs(current);
      next.put(device.id(), device);
      return next;
    }, null);
  }

  /**
   * Adds or replaces many devices added at run time as one change: one check of the whole list,
   * one transaction, one {@link DeviceChanges}. Any problem refuses them all ({@link
   * io.commguard.gateway.validation.InvalidInputException}, paths {@code devices[i]...} with
   * {@code i} indexing {@code batch}).
   */
  public CompletionStage<DeviceChanges> putAll(List<DeviceConfig> batch) {
    return CompletableFuture.supplyAsync(() -> checked(batch), writer).thenCompose(problems -> {
      if (!problems.isEmpty()) {
        return CompletableFuture.failedFuture(new io.commguard.gateway.validation.InvalidInputException(problems));
      }
      return change(current -> {
        batch.forEach(d -> refuseConfigDevice(current, d.id()));
        Map<String, DeviceConfig> next = configs(current);
        batch.forEach(d -> next.put(d.id(), d));
        return next;
      }, null);
    });
  }

  /**
   * The problems {@link #putAll} would refuse {@code batch} for, without changing anything: paths
   * {@code devices[i]...} with {@code i} indexing {@code batch}; a clash that the checks name on a
   * device already registered names it as {@code device 'id'}.
   */
  public CompletionStage<List<Problem>> check(List<DeviceConfig> batch) {
    return CompletableFuture.supplyAsync(() -> checked(batch), writer);
  }

  private List<Problem> checked(List<DeviceConfig> batch) {
    Map<String, RegisteredDevice> current = snapshot;
    ProblemCollector problems = new ProblemCollector("device registry");
    Map<String, Integer> indexOf = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      DeviceConfig d = batch.get(i);
      if (indexOf.putIfAbsent(d.id(), i) != null) {
        problems.add("devices[" + i + "].id", "duplicate device id '" + d.id() + "'");
      }
      RegisteredDevice existing = current.get(d.id());
      if (existing != null && existing.origin() == Origin.CONFIG) {
        problems.add("devices[" + i + "].id", "device '" + d.id() + "' is declared in the config file; change it there and reload");
      }
    }
    List<DeviceConfig> list = new ArrayList<>();
    current.values().stream().filter(d -> !indexOf.containsKey(d.id())).forEach(d -> list.add(d.config()));
    int base = list.size();
    list.addAll(batch);
    check.check(list, i -> i >= base ? "devices[" + (i - base) + "]" : "device '" + list.get(i).id() + "'", problems);
    return problems.problems();
  }

  /** Removes a device added at run time; its sessions close, its episodes end as at a restart without it. */
  public CompletionStage<DeviceChanges> remove(String id) {
    return update(id, current -> null);
  }

  /** Puts a device added at run time in service, into commissioning, or out of service. */
  public CompletionStage<DeviceChanges> setState(String id, DeviceState state) {
    return update(id, d -> d.withState(state));
  }

  private CompletionStage<DeviceChanges> update(String id, UnaryOperator<DeviceConfig> edit) {
    return change(current -> {
      RegisteredDevice existing = current.get(id);
      if (existing == null) {
        throw new IllegalArgumentException("no device with id '" + id + "'");
      }
      refuseConfigDevice(current, id);
      Map<String, DeviceConfig> next = configs(current);
      DeviceConfig edited = edit.apply(existing.config());
      if (edited == null) {
        next.remove(id);
      } else {
        next.put(id, edited);
      }
      return next;
    }, null);
  }

  private static void refuseConfigDevice(Map<String, RegisteredDevice> current, String id) {
    RegisteredDevice existing = current.get(id);
    if (existing != null && existing.origin() == Origin.CONFIG) {
      throw new IllegalArgumentException("device '" + id + "' is declared in the config file; change it there and reload");
    }
  }

  private static Map<String, DeviceConfig> configs(Map<String, RegisteredDevice> devices) {
    Map<String, DeviceConfig> out = new LinkedHashMap<>();
    devices.forEach((id, d) -> out.put(id, d.config()));
    return out;
  }

  /**
   * Runs one change on the writer thread.
   *
   * @param fromConfig ids whose origin becomes {@link Origin#CONFIG} (all others RUNTIME); null
   *     keeps every device's origin and makes new devices {@link Origin#RUNTIME}
   */
  private CompletionStage<DeviceChanges> change(Function<Map<String, RegisteredDevice>, Map<String, DeviceConfig>> plan,
      Set<String> fromConfig) {
    return CompletableFuture.supplyAsync(() -> {
      Map<String, RegisteredDevice> before = snapshot;
      Map<String, DeviceConfig> next = plan.apply(before);
      List<DeviceConfig> list = new ArrayList<>(next.values());
      ProblemCollector problems = new ProblemCollector("device registry");
      List<String> sources = check.check(list, i -> "device '" + list.get(i).id() + "'", problems);
      problems.throwIfAny();
      Map<String, RegisteredDevice> after = new LinkedHashMap<>();
      for (int i = 0; i < list.size(); i++) {
        DeviceConfig d = list.get(i);
        RegisteredDevice was = before.get(d.id());
        Origin origin = fromConfig != null ? (fromConfig.contains(d.id()) ? Origin.CONFIG : Origin.RUNTIME)
            : was != null ? was.origin() : Origin.RUNTIME;
        after.put(d.id(), new RegisteredDevice(d, sources.get(i), origin));
      }
      List<RegisteredDevice> upserts = after.values().stream().filter(d -> !d.equals(before.get(d.id()))).toList();
      List<String> removals = before.keySet().stream().filter(id -> !after.containsKey(id)).toList();
      if (upserts.isEmpty() && removals.isEmpty()) {
        return DeviceChanges.NONE;
      }
      try {
        store.write(upserts, removals);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("device registry not written: " + e.getMessage(), e);
      }
      snapshot = Collections.unmodifiableMap(after);
      DeviceChanges changes = DeviceChanges.between(before, after, d -> true);
      for (Consumer<DeviceChanges> listener : listeners) {
        try {
          listener.accept(changes);
        } catch (RuntimeException e) {
          LOG.log(Level.ERROR, "Device change listener failed; the change is committed error=" + e);
        }
      }
      LOG.log(Level.INFO, "Devices changed added=" + changes.added().size() + " updated=" + changes.updated().size()
          + " removed=" + changes.removed().size() + " total=" + after.size());
      return changes;
    }, writer);
  }

  @Override
  public void close() throws Exception {
    writer.shutdown();
    writer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    store.close();
  }
}
