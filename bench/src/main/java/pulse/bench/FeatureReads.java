package pulse.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * GET /v1/users/{id}/features at a steady rate, as an app with a pool of {@link #CONNECTIONS}
 * connections reads while events pour in: each read is due at its scheduled time and sent then, or
 * as soon as a connection is free, and timed from when it was due (so a slow node cannot slow the
 * reader down and hide its own slowness, as in wrk2). Capacity is allocated up front, so a heap
 * reading taken while it runs does not count its buffer.
 */
final class FeatureReads implements AutoCloseable {
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final int port;
  private final List<String> users;
  private final long intervalNanos;
  private final double[] millis;
  private final Thread thread;
  private volatile boolean stop;
  private volatile Exception failure;
  private final CountDownLatch firstRead = new CountDownLatch(1);
  private final AtomicInteger sent = new AtomicInteger();

  /** The app's connection pool: at most this many reads in flight. */
  static final int CONNECTIONS = 16;

  private final Semaphore connections = new Semaphore(CONNECTIONS);

  FeatureReads(int port, List<String> users, int perSecond, Duration longest) {
    if (users.isEmpty() || perSecond < 1) {
      throw new IllegalArgumentException("feature reads need users and a rate of at least 1/s");
    }
    this.port = port;
    this.users = users;
    this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
    this.millis = new double[(int) Math.min(50_000_000L, perSecond * longest.toSeconds())];
    this.thread = new Thread(this::readLoop, "bench-feature-reads");
    this.thread.setDaemon(true);
  }

  FeatureReads start() {
    thread.start();
    return this;
  }

  private void readLoop() {
    Random random = new Random(7);
    long next = System.nanoTime();
    try {
      while (!stop && sent.get() < millis.length) {
        LockSupport.parkNanos(next - System.nanoTime());
        String user = users.get(random.nextInt(users.size()));
        long scheduled = next;
        connections.acquire();
        int slot = sent.getAndIncrement();
        client
            .sendAsync(
                BenchKeys.request(
                        URI.create("http://127.0.0.1:" + port + "/v1/users/" + user + "/features"))
                    .build(),
                HttpResponse.BodyHandlers.discarding())
            .whenComplete(
                (r, err) -> {
                  if (err != null || r.statusCode() != 200) {
                    failure =
                        new IllegalStateException(
                            "features of " + user + ": " + (err != null ? err : r.statusCode()));
                  }
                  millis[slot] = (System.nanoTime() - scheduled) / 1e6;
                  firstRead.countDown();
                  connections.release();
                });
        next += intervalNanos;
      }
    } catch (RuntimeException | InterruptedException e) {
      failure = e;
      firstRead.countDown();
    }
  }

  /**
   * Stops sending (after the first answer at least, so a short run still has one), waits for the
   * reads in flight, and returns each read's latency in ms; a failed read fails the bench.
   */
  double[] stop() throws Exception {
    firstRead.await(30, TimeUnit.SECONDS);
    stop = true;
    thread.join(TimeUnit.SECONDS.toMillis(30));
    if (!connections.tryAcquire(CONNECTIONS, 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("feature reads still unanswered 60 s after the passes");
    }
    if (failure != null) {
      throw new IllegalStateException("a feature read failed while ingesting", failure);
    }
    return Arrays.copyOf(millis, sent.get());
  }

  @Override
  public void close() {
    stop = true;
  }
}
