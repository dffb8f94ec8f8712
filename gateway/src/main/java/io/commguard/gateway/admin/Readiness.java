package io.commguard.gateway.admin;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The named checks behind {@code /readyz} and {@code /health}, registered by the gateway's stages at
 * boot. A check answers asynchronously and must not block its caller (an event loop); one that does
 * not answer within {@link #CHECK_TIMEOUT} counts as {@link State#DOWN}.
 *
 * <p>The overall state is the worst check's: {@code DOWN} makes the gateway not ready (503), {@code
 * DEGRADED} leaves it ready (200) but says so. A gateway with no checks registered yet is not
 * ready: the stages register theirs only once they are started.
 */
public final class Readiness {
  /** Longest a check may take; probes should allow a little more (Kubernetes: timeoutSeconds: 3). */
  public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

  /** Ordered from best to worst. */
  public enum State {
    UP, DEGRADED, DOWN;

    /** The word {@code /readyz} answers with. */
    String word() {
      return switch (this) {
        case UP -> "ready";
        case DEGRADED -> "degraded";
        case DOWN -> "not ready";
      };
    }
  }

  /** One check's answer; {@code detail} is for the authenticated {@code /health} only. */
  public record Result(State state, String detail) {
    public static Result up(String detail) {
      return new Result(State.UP, detail);
    }

    public static Result degraded(String detail) {
      return new Result(State.DEGRADED, detail);
    }

    public static Result down(String detail) {
      return new Result(State.DOWN, detail);
    }
  }

  /** All checks' answers, in registration order, and the worst state among them. */
  public record Report(State state, Map<String, Result> checks) {}

  private final Map<String, Supplier<CompletionStage<Result>>> checks = new ConcurrentHashMap<>();
  private final List<String> order = new CopyOnWriteArrayList<>();

  /** Adds a named check; a second check of the same name replaces the first. */
  public void register(String name, Supplier<CompletionStage<Result>> check) {
    if (checks.put(name, check) == null) {
      order.add(name);
    }
  }

  /** Runs every check at once; completes within about {@link #CHECK_TIMEOUT}, never exceptionally. */
  public CompletionStage<Report> evaluate() {
    List<String> names = List.copyOf(order);
    if (names.isEmpty()) {
      return CompletableFuture.completedFuture(
          new Report(State.DOWN, Map.of("startup", Result.down("the gateway's stages are still starting"))));
    }
    @SuppressWarnings("unchecked")
    CompletableFuture<Result>[] running = new CompletableFuture[names.size()];
    for (int i = 0; i < names.size(); i++) {
      running[i] = run(checks.get(names.get(i)));
    }
    return CompletableFuture.allOf(running).handle((ignored, error) -> {
      Map<String, Result> results = new LinkedHashMap<>();
      State worst = State.UP;
      for (int i = 0; i < names.size(); i++) {
        Result r = running[i].join();
        results.put(names.get(i), r);
        worst = r.state().compareTo(worst) > 0 ? r.state() : worst;
      }
      return new Report(worst, results);
    });
  }

  private static CompletableFuture<Result> run(Supplier<CompletionStage<Result>> check) {
    CompletableFuture<Result> answer;
    try {
      answer = check.get().toCompletableFuture();
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.copy().orTimeout(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> Result.down(failure(e)));
  }

  private static String failure(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof TimeoutException) {
      return "no answer within " + CHECK_TIMEOUT.toMillis() + " ms";
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }
}
