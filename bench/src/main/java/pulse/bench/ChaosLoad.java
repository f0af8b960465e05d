package pulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chaos bench's clients: event posts and recommendation reads through the load balancer, at
 * fixed rates, for one scenario's own users. A client does what the README tells one to: a post
 * that was not answered 202 is sent again with the same eventId after its Retry-After (or 0.5 s),
 * for up to two minutes; a read answered 503 is tried again after its Retry-After, up to 10 s.
 * Every attempt is recorded with its time and outcome, for the figures and the timeline.
 */
final class ChaosLoad implements AutoCloseable {
  /** One request attempt: when it ended (ms since the bench's start), what, and its status. */
  record Attempt(long atMs, boolean write, int status, boolean fallback) {}

  /** A user's acknowledged events, and the longest wait any of its events had for a 202. */
  static final class UserLog {
    final List<String> acked = new ArrayList<>();
    long unacked;
    long longestUnwritableMs;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WRITE_BUDGET = Duration.ofMinutes(2);
  private static final Duration READ_BUDGET = Duration.ofSeconds(10);

  private final String lb;
  private final String authorization;
  private final long t0;
  private final List<String> users;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2);
  private final ExecutorService clients = Executors.newFixedThreadPool(48);
  private final Map<String, UserLog> logs = new ConcurrentHashMap<>();
  final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
  final AtomicLong reads = new AtomicLong();
  final AtomicLong readFailures = new AtomicLong();
  final AtomicLong readsByModel = new AtomicLong();
  final AtomicLong readsByFallback = new AtomicLong();
  final AtomicLong writes = new AtomicLong();
  private final AtomicLong seq = new AtomicLong();
  private final Random random = new Random(7);
  private volatile boolean stopped;

  ChaosLoad(String lb, String authorization, long t0, List<String> users) {
    this.lb = lb;
    this.authorization = authorization;
    this.t0 = t0;
    this.users = List.copyOf(users);
    users.forEach(u -> logs.put(u, new UserLog()));
  }

  /** Starts posting {@code eventsPerSecond} and reading {@code readsPerSecond}. */
  void start(double eventsPerSecond, double readsPerSecond) {
    ticks.scheduleAtFixedRate(
        () -> clients.execute(this::writeOne),
        0,
        (long) (1e6 / eventsPerSecond),
        TimeUnit.MICROSECONDS);
    ticks.scheduleAtFixedRate(
        () -> clients.execute(this::readOne),
        500_000,
        (long) (1e6 / readsPerSecond),
        TimeUnit.MICROSECONDS);
  }

  Map<String, UserLog> logs() {
    return logs;
  }

  private long now() {
    return System.currentTimeMillis() - t0;
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(lb + path)).timeout(Duration.ofSeconds(30));
    return authorization == null ? b : b.header("Authorization", authorization);
  }

  private void writeOne() {
    if (stopped) {
      return;
    }
    long n = seq.incrementAndGet();
    String user = users.get((int) (n % users.size()));
    String eventId = user + "-e" + n;
    String body =
        "[{\"eventId\":\""
            + eventId
            + "\",\"userId\":\""
            + user
            + "\",\"itemId\":\"sku-"
            + (1 + random.nextInt(50))
            + "\",\"type\":\"click\",\"timestamp\":"
            + System.currentTimeMillis()
            + "}]";
    long firstFailure = -1;
    long deadline = System.nanoTime() + WRITE_BUDGET.toNanos();
    writes.incrementAndGet();
    while (System.nanoTime() < deadline) {
      int status;
      long retryAfterMs = 500;
      // The user is unwritable from the moment its first failed attempt was sent (not when its
      // answer came, which may be an ask timeout later) until an attempt is acknowledged.
      long sentAt = now();
      try {
        HttpResponse<String> r =
            http.send(
                request("/v1/events")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        status = r.statusCode();
        retryAfterMs = retryAfterMs(r, 500);
      } catch (Exception e) {
        status = -1;
      }
      attempts.add(new Attempt(now(), true, status, false));
      if (status == 202) {
        UserLog log = logs.get(user);
        synchronized (log) {
          log.acked.add(eventId);
          if (firstFailure >= 0) {
            log.longestUnwritableMs = Math.max(log.longestUnwritableMs, now() - firstFailure);
          }
        }
        return;
      }
      if (firstFailure < 0) {
        firstFailure = sentAt;
      }
      sleep(retryAfterMs);
    }
    UserLog log = logs.get(user);
    synchronized (log) {
      log.unacked++;
      log.longestUnwritableMs = Math.max(log.longestUnwritableMs, now() - firstFailure);
    }
  }

  private void readOne() {
    if (stopped) {
      return;
    }
    String user = users.get(random.nextInt(users.size()));
    long deadline = System.nanoTime() + READ_BUDGET.toNanos();
    reads.incrementAndGet();
    while (true) {
      int status;
      boolean fallback = false;
      long retryAfterMs = -1;
      try {
        HttpResponse<String> r =
            http.send(
                request("/v1/users/" + user + "/recommendations?k=10").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        status = r.statusCode();
        if (status == 200) {
          JsonNode answer = JSON.readTree(r.body());
          fallback = answer.hasNonNull("fallback");
        } else if (status == 503) {
          retryAfterMs = retryAfterMs(r, 1000);
        }
      } catch (Exception e) {
        status = -1;
      }
      attempts.add(new Attempt(now(), false, status, fallback));
      if (status == 200) {
        (fallback ? readsByFallback : readsByModel).incrementAndGet();
        return;
      }
      if (retryAfterMs < 0 || System.nanoTime() + retryAfterMs * 1_000_000 > deadline) {
        readFailures.incrementAndGet();
        return;
      }
      sleep(retryAfterMs);
    }
  }

  /** The answer's Retry-After (seconds, as Pulse writes it) in ms, else {@code otherwise}. */
  private static long retryAfterMs(HttpResponse<?> r, long otherwise) {
    return r.headers()
        .firstValue("Retry-After")
        .map(s -> (long) (Double.parseDouble(s) * 1000))
        .orElse(otherwise);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops new requests and waits for those under way (their retries included). */
  @Override
  public void close() throws InterruptedException {
    stopped = true;
    ticks.shutdownNow();
    clients.shutdown();
    clients.awaitTermination(WRITE_BUDGET.toSeconds() + 30, TimeUnit.SECONDS);
  }
}
