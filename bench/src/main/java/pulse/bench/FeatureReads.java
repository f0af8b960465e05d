package pulse.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * GET /v1/users/{id}/features at a steady rate from one client thread, as an app reading while
 * events pour in: the latency of each read (or of its slot, when a slow read made the next one
 * late: the reads are scheduled, not paced by their answers, so a stall counts in full). Capacity
 * is allocated up front, so a heap reading taken while it runs does not count its buffer.
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
  private int count;

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
      while (!stop && count < millis.length) {
        LockSupport.parkNanos(next - System.nanoTime());
        String user = users.get(random.nextInt(users.size()));
        HttpResponse<Void> r =
            client.send(
                BenchKeys.request(
                        URI.create("http://127.0.0.1:" + port + "/v1/users/" + user + "/features"))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
          throw new IllegalStateException("features of " + user + " answered " + r.statusCode());
        }
        millis[count++] = (System.nanoTime() - next) / 1e6;
        firstRead.countDown();
        next += intervalNanos;
      }
    } catch (Exception e) {
      failure = e;
      firstRead.countDown();
    }
  }

  /**
   * Stops reading (after the first read at least, so a short run still has one) and returns each
   * read's latency in ms; a failed read fails the bench.
   */
  double[] stop() throws Exception {
    firstRead.await(30, TimeUnit.SECONDS);
    stop = true;
    thread.join(TimeUnit.SECONDS.toMillis(30));
    if (failure != null) {
      throw new IllegalStateException("a feature read failed while ingesting", failure);
    }
    return Arrays.copyOf(millis, count);
  }

  @Override
  public void close() {
    stop = true;
  }
}
