package pulse.engine.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchingPolicyTest {
  private static final long MS = 1_000_000L;

  record Req(String id, long enqueuedAtNanos, long deadlineNanos)
      implements BatchingPolicy.Pending {}

  private static Req req(String id, long atMs) {
    return new Req(id, atMs * MS, (atMs + 100) * MS);
  }

  private static BatchingPolicy<Req> policy(int maxBatch, long delayMs, int capacity, int workers) {
    return new BatchingPolicy<>(
        new BatchingPolicy.Settings(maxBatch, Duration.ofMillis(delayMs), capacity), workers);
  }

  private static List<String> ids(List<Req> reqs) {
    return reqs.stream().map(Req::id).toList();
  }

  @Test
  void anIdleWorkerTakesARequestAtOnce() {
    var p = policy(8, 0, 100, 1);
    p.offer(req("a", 0));
    var d = p.decide(0);
    assertEquals(List.of("a"), ids(d.batch()));
    assertEquals(0, p.idleWorkers());
    assertEquals(BatchingPolicy.Decision.NEVER, d.wakeUpAtNanos());
  }

  @Test
  void whileWorkersAreBusyRequestsAccumulateAndLeaveTogetherUpToTheMaximum() {
    var p = policy(3, 0, 100, 1);
    p.offer(req("a", 0));
    p.decide(0); // the only worker takes "a"
    for (String id : List.of("b", "c", "d", "e")) {
      p.offer(req(id, 1));
      assertFalse(p.decide(1 * MS).dispatch(), "no worker free");
    }
    p.workerIdle();
    assertEquals(
        List.of("b", "c", "d"), ids(p.decide(2 * MS).batch()), "FIFO, at most max-batch-size");
    p.workerIdle();
    assertEquals(List.of("e"), ids(p.decide(3 * MS).batch()));
  }

  @Test
  void aSecondIdleWorkerIsUsedRightAwayForWhatIsLeft() {
    var p = policy(2, 0, 100, 2);
    for (String id : List.of("a", "b", "c")) {
      p.offer(req(id, 0));
    }
    var first = p.decide(0);
    assertEquals(List.of("a", "b"), ids(first.batch()));
    assertEquals(
        0, first.wakeUpAtNanos(), "ask again at once: a worker is free and a request waits");
    assertEquals(List.of("c"), ids(p.decide(0).batch()));
  }

  @Test
  void aQueueDelayWaitsForAFullerBatchButNoLongerThanTheDelay() {
    var p = policy(4, 5, 100, 1);
    p.offer(req("a", 10));
    var waiting = p.decide(10 * MS);
    assertFalse(waiting.dispatch());
    assertEquals(15 * MS, waiting.wakeUpAtNanos());
    p.offer(req("b", 12));
    assertFalse(p.decide(12 * MS).dispatch());
    assertEquals(
        List.of("a", "b"), ids(p.decide(15 * MS).batch()), "the oldest has waited the delay");
  }

  @Test
  void aFullBatchLeavesBeforeTheDelay() {
    var p = policy(2, 50, 100, 1);
    p.offer(req("a", 0));
    p.offer(req("b", 1));
    assertEquals(List.of("a", "b"), ids(p.decide(1 * MS).batch()));
  }

  @Test
  void theQueueIsBounded() {
    var p = policy(8, 0, 2, 1);
    assertTrue(p.offer(req("a", 0)));
    assertTrue(p.offer(req("b", 0)));
    assertFalse(p.offer(req("c", 0)), "refused at once, not buffered");
    assertEquals(2, p.queued());
  }

  @Test
  void requestsWhoseDeadlinePassedInTheQueueExpireAndAreNotComputed() {
    var p = policy(8, 0, 100, 1);
    p.offer(req("a", 0));
    p.decide(0); // busy with "a"
    p.offer(new Req("late", 1 * MS, 30 * MS));
    p.offer(new Req("fine", 2 * MS, 200 * MS));
    var busy = p.decide(3 * MS);
    assertEquals(30 * MS, busy.wakeUpAtNanos(), "wake up when the first queued deadline passes");
    p.workerIdle();
    var d = p.decide(30 * MS);
    assertEquals(List.of("late"), ids(d.expired()));
    assertEquals(List.of("fine"), ids(d.batch()));
  }
}
