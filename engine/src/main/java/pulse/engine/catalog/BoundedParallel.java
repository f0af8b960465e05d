package pulse.engine.catalog;

import akka.Done;
import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs an asynchronous action for every element with at most {@code parallelism} in flight, so a
 * 1000-item upsert neither queues 1000 requests on the driver at once nor pays 1000 round trips in
 * a row.
 *
 * <p>The returned stage completes when every action has completed. After a failure no new action
 * starts; the stage fails with the first error once the ones already running have settled, so a
 * caller that retries never races its own earlier writes. Actions that complete synchronously are
 * launched from a loop, not recursively, so any number of elements is safe for the stack.
 */
final class BoundedParallel<T> {
  private final Iterator<T> elements;
  private final int parallelism;
  private final Function<? super T, ? extends CompletionStage<?>> action;
  private final CompletableFuture<Done> done = new CompletableFuture<>();
  // Work-in-progress counter: the thread that raises it from 0 runs the launch loop; others only
  // ask for a rerun.
  private final AtomicInteger wip = new AtomicInteger();
  private int inFlight;
  private Throwable failure;

  private BoundedParallel(
      Iterator<T> elements,
      int parallelism,
      Function<? super T, ? extends CompletionStage<?>> action) {
    this.elements = elements;
    this.parallelism = parallelism;
    this.action = action;
  }

  static <T> CompletionStage<Done> forEach(
      Collection<T> elements,
      int parallelism,
      Function<? super T, ? extends CompletionStage<?>> action) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
    }
    BoundedParallel<T> run = new BoundedParallel<>(elements.iterator(), parallelism, action);
    run.drain();
    return run.done;
  }

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    do {
      T next;
      while ((next = claimNext()) != null) {
        launch(next);
      }
    } while (wip.decrementAndGet() != 0);
  }

  /**
   * The next element to launch, or null when none may start now (bound reached, exhausted or
   * failed).
   */
  private synchronized T claimNext() {
    if (failure != null || !elements.hasNext()) {
      if (inFlight == 0) {
        if (failure != null) {
          done.completeExceptionally(failure);
        } else {
          done.complete(Done.getInstance());
        }
      }
      return null;
    }
    if (inFlight >= parallelism) {
      return null;
    }
    inFlight++;
    return elements.next();
  }

  private void launch(T element) {
    CompletionStage<?> stage;
    try {
      stage = action.apply(element);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (ignored, error) -> {
          synchronized (this) {
            inFlight--;
            if (error != null) {
              if (failure == null) {
                failure = error;
              } else if (failure != error) {
                failure.addSuppressed(error);
              }
            }
          }
          drain();
        });
  }
}
