package pulse.engine.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class ContinuationPoolTest {

  @Test
  void aNodeJvmGetsAtLeastTwoThreadsWhateverItsCores() {
    assertEquals(2, ContinuationPool.parallelismFor(1));
    assertEquals(2, ContinuationPool.parallelismFor(2));
    assertEquals(2, ContinuationPool.parallelismFor(3));
    assertEquals(7, ContinuationPool.parallelismFor(8));
  }

  @Test
  void aGivenSettingIsKept() {
    String before = System.getProperty(ContinuationPool.PROPERTY);
    try {
      System.setProperty(ContinuationPool.PROPERTY, "5");
      ContinuationPool.configureThisJvm();
      assertEquals("5", System.getProperty(ContinuationPool.PROPERTY));
      System.clearProperty(ContinuationPool.PROPERTY);
      ContinuationPool.configureThisJvm();
      assertEquals(
          Integer.toString(
              ContinuationPool.parallelismFor(Runtime.getRuntime().availableProcessors())),
          System.getProperty(ContinuationPool.PROPERTY));
    } finally {
      if (before == null) {
        System.clearProperty(ContinuationPool.PROPERTY);
      } else {
        System.setProperty(ContinuationPool.PROPERTY, before);
      }
    }
  }

  @Test
  void pooledSaysWhetherAsyncContinuationsRunOnTheCommonPool() throws Exception {
    // What the JDK does with an ...Async continuation that names no executor: the common pool's
    // workers when pooled, else a thread of its own (named Thread-N).
    String thread = CompletableFuture.supplyAsync(() -> Thread.currentThread().getName()).get();
    assertEquals(ContinuationPool.pooled(), thread.startsWith("ForkJoinPool.commonPool"));
    assertEquals(ForkJoinPool.getCommonPoolParallelism() >= 2, ContinuationPool.pooled());
  }
}
