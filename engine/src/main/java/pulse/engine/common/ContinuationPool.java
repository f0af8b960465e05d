package pulse.engine.common;

import java.util.concurrent.ForkJoinPool;

/**
 * Where the JVM runs the continuations of Akka's asks: the CompletionStage an ask returns (Scala's
 * Future seen as a CompletableFuture) turns every {@code thenApply}, {@code thenCompose} and {@code
 * whenComplete} into its {@code ...Async} form, which runs on the JDK's common ForkJoinPool. When
 * that pool's parallelism is below 2, as the JDK makes it on a machine of 2 cores or fewer (cores -
 * 1), CompletableFuture starts <em>a new thread for every continuation</em> instead. On the 2-core
 * box a fresh node behind 200 recommendations/s then answered with a median of 1.6-3.4 s and lost
 * 9.6-28% of the requests; with the pool at 2 the same runs had a median of 113-647 ms and lost at
 * most 0.5% (README, Measured, "The continuation pool"). So every JVM that runs a node keeps the
 * pool at 2 or more.
 */
public final class ContinuationPool {
  /** The JDK's setting for the common pool's parallelism (read once, when the pool is made). */
  public static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private ContinuationPool() {}

  /** The parallelism a node's JVM gets on {@code cores} cores: the JDK's own, but at least 2. */
  public static int parallelismFor(int cores) {
    return Math.max(2, cores - 1);
  }

  /**
   * Sets {@link #PROPERTY} for this JVM unless it was given, for a launcher that did not pass it
   * (bin/pulse does). Only effective when called before anything used the common pool, so first
   * thing in {@code main}.
   */
  public static void configureThisJvm() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(
          PROPERTY, Integer.toString(parallelismFor(Runtime.getRuntime().availableProcessors())));
    }
  }

  /** Whether continuations run on a pool here rather than on a new thread each. */
  public static boolean pooled() {
    return ForkJoinPool.getCommonPoolParallelism() >= 2;
  }
}
