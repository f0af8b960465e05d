package pulse.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BoundedParallelTest {

  /** Actions whose completion the test decides, so "in flight" is exact. */
  private static final class Pending {
    final List<Integer> started = new ArrayList<>();
    final List<CompletableFuture<Void>> futures = new ArrayList<>();

    CompletionStage<Void> start(int element) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      started.add(element);
      futures.add(f);
      return f;
    }

    int inFlight() {
      return (int) futures.stream().filter(f -> !f.isDone()).count();
    }
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  @Test
  void keepsAtMostParallelismInFlightAndCompletesOnlyWhenAllHave() {
    Pending p = new Pending();
    CompletableFuture<?> done =
        BoundedParallel.forEach(range(10), 3, p::start).toCompletableFuture();
    assertEquals(List.of(0, 1, 2), p.started);
    p.futures.get(1).complete(null);
    assertEquals(
        List.of(0, 1, 2, 3), p.started, "a finished action makes room for exactly one more");
    assertEquals(3, p.inFlight());
    for (int i = 0; i < 10; i++) {
      assertFalse(done.isDone());
      p.futures.get(i).complete(null);
      assertTrue(p.inFlight() <= 3);
    }
    assertEquals(range(10), p.started);
    assertTrue(done.isDone() && !done.isCompletedExceptionally());
  }

  @Test
  void anEmptyCollectionCompletesAtOnce() {
    assertTrue(
        BoundedParallel.forEach(List.<Integer>of(), 4, i -> new CompletableFuture<Void>())
            .toCompletableFuture()
            .isDone());
  }

  @Test
  void afterAFailureStartsNothingNewAndFailsOnceTheRunningOnesSettle() {
    Pending p = new Pending();
    CompletableFuture<?> done =
        BoundedParallel.forEach(range(10), 2, p::start).toCompletableFuture();
    IllegalStateException boom = new IllegalStateException("write failed");
    p.futures.get(0).completeExceptionally(boom);
    assertEquals(List.of(0, 1), p.started, "no new action after a failure");
    assertFalse(done.isDone(), "element 1 is still being written");
    p.futures.get(1).complete(null);
    ExecutionException e = assertThrows(ExecutionException.class, done::get);
    assertSame(boom, e.getCause());
  }

  @Test
  void anActionThatThrowsCountsAsAFailedElement() {
    CompletableFuture<?> done =
        BoundedParallel.forEach(
                range(3),
                2,
                i -> {
                  if (i == 1) {
                    throw new IllegalArgumentException("bad element");
                  }
                  return CompletableFuture.completedFuture(null);
                })
            .toCompletableFuture();
    ExecutionException e = assertThrows(ExecutionException.class, done::get);
    assertEquals("bad element", e.getCause().getMessage());
  }

  @Test
  void synchronouslyCompletingActionsDoNotGrowTheStack() throws Exception {
    int[] count = {0};
    BoundedParallel.forEach(
            range(200_000),
            4,
            i -> {
              count[0]++;
              return CompletableFuture.completedFuture(null);
            })
        .toCompletableFuture()
        .get();
    assertEquals(200_000, count[0]);
  }
}
