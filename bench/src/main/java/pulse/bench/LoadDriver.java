package pulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import pulse.http.JsonSupport;

/**
 * Drives GET recommendations against a node: closed loop (N clients, each sends when its last
 * answer came: finds the maximum throughput) or open loop (a fixed arrival rate whatever the
 * answers do: latency measured from the scheduled send time, so a stall is not hidden by fewer
 * sends, i.e. no coordinated omission).
 */
final class LoadDriver {
  /** What one run measured; throughput counts answers per second of any kind. */
  record Result(
      String label,
      int sent,
      int ok,
      int modelServed,
      int fallbacks,
      int refused,
      int errors,
      double seconds,
      Latencies latencies) {
    double throughput() {
      return ok / seconds;
    }

    double modelThroughput() {
      return modelServed / seconds;
    }

    double p(double q) {
      return latencies.millis(q);
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final List<String> users;
  private final int k;

  LoadDriver(String base, List<String> users, int k) {
    this.base = base;
    this.users = users;
    this.k = k;
  }

  private HttpRequest request() {
    String user = users.get(ThreadLocalRandom.current().nextInt(users.size()));
    return BenchKeys.request(URI.create(base + "/v1/users/" + user + "/recommendations?k=" + k))
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  private final class Tally {
    final Latencies latencies = new Latencies();
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger model = new AtomicInteger();
    final AtomicInteger fallback = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();

    void record(HttpResponse<String> r, Throwable failure, long startNanos) {
      latencies.recordNanos(System.nanoTime() - startNanos);
      if (failure != null) {
        errors.incrementAndGet();
      } else if (r.statusCode() == 200) {
        ok.incrementAndGet();
        try {
          JsonNode answer = JsonSupport.MAPPER.readTree(r.body());
          if (answer.get("fallback").isNull()) {
            model.incrementAndGet();
          } else {
            fallback.incrementAndGet();
          }
        } catch (Exception e) {
          errors.incrementAndGet();
        }
      } else if (r.statusCode() == 503) {
        refused.incrementAndGet();
      } else {
        errors.incrementAndGet();
      }
    }

    Result result(String label, double seconds) {
      return new Result(
          label,
          sent.get(),
          ok.get(),
          model.get(),
          fallback.get(),
          refused.get(),
          errors.get(),
          seconds,
          latencies);
    }
  }

  /** {@code clients} concurrent loops for {@code seconds}. */
  Result closedLoop(String label, int clients, double seconds) throws InterruptedException {
    Tally tally = new Tally();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    CompletableFuture<?>[] loops = new CompletableFuture<?>[clients];
    for (int c = 0; c < clients; c++) {
      loops[c] = loop(tally, end);
    }
    CompletableFuture.allOf(loops).join();
    return tally.result(label, (System.nanoTime() - start) / 1e9);
  }

  private CompletableFuture<Void> loop(Tally tally, long endNanos) {
    if (System.nanoTime() >= endNanos) {
      return CompletableFuture.completedFuture(null);
    }
    long t = System.nanoTime();
    tally.sent.incrementAndGet();
    return client
        .sendAsync(request(), HttpResponse.BodyHandlers.ofString())
        .handle(
            (r, e) -> {
              tally.record(r, e, t);
              return null;
            })
        .thenCompose(v -> loop(tally, endNanos));
  }

  /**
   * {@code rate} requests per second, evenly spaced, for {@code seconds}; at most {@code
   * maxOutstanding}.
   */
  Result openLoop(String label, double rate, double seconds, int maxOutstanding) {
    Tally tally = new Tally();
    AtomicLong outstanding = new AtomicLong();
    long start = System.nanoTime();
    long interval = (long) (1e9 / rate);
    long total = (long) (rate * seconds);
    CompletableFuture<?>[] all = new CompletableFuture<?>[(int) total];
    int n = 0;
    for (long i = 0; i < total; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      tally.sent.incrementAndGet();
      if (outstanding.get() >= maxOutstanding) {
        tally.errors
            .incrementAndGet(); // the node fell this far behind: count it as failed, do not queue
        // it here
        tally.latencies.recordMillis((System.nanoTime() - due) / 1e6 + 10_000);
        continue;
      }
      outstanding.incrementAndGet();
      all[n++] =
          client
              .sendAsync(request(), HttpResponse.BodyHandlers.ofString())
              .handle(
                  (r, e) -> {
                    outstanding.decrementAndGet();
                    tally.record(r, e, due); // from when it should have been sent
                    return null;
                  });
    }
    CompletableFuture.allOf(Arrays.copyOf(all, n)).join();
    return tally.result(label, (System.nanoTime() - start) / 1e9);
  }

  static String row(Result r, double meanBatch, double cpuCores) {
    return String.format(
        Locale.ROOT,
        "%-28s %9.0f %9.0f %8.1f %8.1f %8.1f %9.1f%% %6d %7.1f %6.2f",
        r.label(),
        r.throughput(),
        r.modelThroughput(),
        r.p(0.5),
        r.p(0.95),
        r.p(0.99),
        100.0 * r.fallbacks() / Math.max(1, r.ok()),
        r.refused() + r.errors(),
        meanBatch,
        cpuCores);
  }

  static String header() {
    return String.format(
        Locale.ROOT,
        "%-28s %9s %9s %8s %8s %8s %10s %6s %7s %6s",
        "run",
        "answers/s",
        "model/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "fallback",
        "failed",
        "batch",
        "cores");
  }
}
