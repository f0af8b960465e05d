package pulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import pulse.engine.event.EventContext;
import pulse.engine.event.EventType;
import pulse.engine.event.UserEvent;

/**
 * Replays ratings in time order through the cluster, as a simulation of users (not real ones): for
 * each rating the user first asks for a list of 10; when the rated movie is in it, the user
 * "clicks" it (a click naming the list, instead of the rating, so that the user's history holds the
 * movie once, as the model was trained); otherwise the rating is sent as it was. Events carry the
 * wall-clock time of the replay, which keeps their order and matches the served lists' impressions.
 *
 * <p>Several clients replay at once, each user always on the same one, so that a user's steps stay
 * in order; each client's queue is short, so that the clients stay close to each other in the
 * timeline.
 */
final class AbReplay {
  /** One served list: when (ms since the replay began), which variant, and whether it was hit. */
  record Served(long atMs, String experiment, String variant, boolean hit, String fallbackReason) {}

  private static final int K = 10;
  private static final UserEvent END =
      new UserEvent("end", "end", "end", EventType.VIEW, 0, null, null);

  private final AbApi api;
  private final int clients;
  private final PrintStream out;

  AbReplay(AbApi api, int clients, PrintStream out) {
    this.api = api;
    this.clients = clients;
    this.out = out;
  }

  /**
   * Replays {@code ratings}, stopping early when {@code stop} says so (checked between steps);
   * returns every served list in the order answered.
   */
  List<Served> run(String label, List<UserEvent> ratings, BooleanSupplier stop)
      throws InterruptedException {
    ConcurrentLinkedQueue<Served> served = new ConcurrentLinkedQueue<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    AtomicInteger done = new AtomicInteger();
    List<BlockingQueue<UserEvent>> queues = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      BlockingQueue<UserEvent> q = new ArrayBlockingQueue<>(16);
      queues.add(q);
      Thread t =
          new Thread(
              () -> {
                try {
                  for (UserEvent e = q.take(); e != END; e = q.take()) {
                    if (failure.get() == null) {
                      served.add(step(e, t0));
                    }
                    done.incrementAndGet();
                  }
                } catch (Exception e) {
                  failure.compareAndSet(null, e);
                }
              },
              "ab-replay-" + c);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    long lastPrint = t0;
    int sent = 0;
    for (UserEvent e : ratings) {
      if (failure.get() != null || (sent % 50 == 0 && stop.getAsBoolean())) {
        break;
      }
      queues.get(Math.floorMod(e.userId().hashCode(), clients)).put(e);
      sent++;
      long now = System.nanoTime();
      if (now - lastPrint > 5_000_000_000L) {
        lastPrint = now;
        progress(label, done.get(), ratings.size(), (now - t0) / 1e9, served);
      }
    }
    for (BlockingQueue<UserEvent> q : queues) {
      q.put(END);
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("the replay failed: " + failure.get(), failure.get());
    }
    progress(label, done.get(), ratings.size(), (System.nanoTime() - t0) / 1e9, served);
    return List.copyOf(served);
  }

  private Served step(UserEvent rating, long t0) throws Exception {
    JsonNode list =
        api.getJson("/v1/users/" + rating.userId() + "/recommendations?k=" + K, AbApi.Role.READ);
    boolean hit = false;
    for (JsonNode item : list.path("items")) {
      hit |= item.path("itemId").asText().equals(rating.itemId());
    }
    long now = System.currentTimeMillis();
    UserEvent event =
        hit
            ? new UserEvent(
                "c-" + rating.eventId(),
                rating.userId(),
                rating.itemId(),
                EventType.CLICK,
                now,
                null,
                new EventContext(null, null, null, null).withListId(list.path("listId").asText()))
            : new UserEvent(
                rating.eventId(),
                rating.userId(),
                rating.itemId(),
                EventType.RATING,
                now,
                rating.value(),
                null);
    AbApi.Answer a = api.post("/v1/events", AbApi.Role.INGEST, WireJson.events(List.of(event)));
    if (a.status() != 202) {
      throw new IllegalStateException("POST /v1/events answered " + a.status() + ": " + a.body());
    }
    return new Served(
        (System.nanoTime() - t0) / 1_000_000,
        list.path("experiment").asText(null),
        list.path("variant").asText("-"),
        hit,
        list.path("fallback").isTextual() ? list.path("fallbackReason").asText("?") : null);
  }

  private void progress(
      String label, int done, int total, double seconds, ConcurrentLinkedQueue<Served> served) {
    Map<String, int[]> byVariant = new TreeMap<>();
    for (Served s : served) {
      int[] c = byVariant.computeIfAbsent(s.variant(), v -> new int[2]);
      c[0]++;
      c[1] += s.hit() ? 1 : 0;
    }
    Map<String, Integer> fallbacks = new TreeMap<>();
    for (Served s : served) {
      if (s.fallbackReason() != null) {
        fallbacks.merge(s.variant() + ":" + s.fallbackReason(), 1, Integer::sum);
      }
    }
    StringBuilder variants = new StringBuilder();
    byVariant.forEach(
        (v, c) ->
            variants.append(
                String.format(
                    Locale.ROOT, "; %s %,d lists CTR %.3f", v, c[0], (double) c[1] / c[0])));
    double rate = done / Math.max(seconds, 1e-9);
    out.printf(
        Locale.ROOT,
        "  %s: %,d/%,d ratings, %.0f/s, ETA %.0f s%s%s%n",
        label,
        done,
        total,
        rate,
        (total - done) / Math.max(rate, 1e-9),
        variants,
        fallbacks.isEmpty() ? "" : "; fallbacks " + fallbacks);
  }
}
