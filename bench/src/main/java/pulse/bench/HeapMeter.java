package pulse.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Live heap as a bench sees it: used heap after full collections, repeated until two readings agree
 * (a collection can leave garbage that the next one takes, e.g. objects freed by a reference
 * queue), and the cost of each of a number of new live objects as the difference of two readings.
 */
final class HeapMeter {
  /** Two readings closer than this (relative) are the live heap. */
  static final double STABLE = 0.005;

  private static final int MAX_ROUNDS = 8;

  private HeapMeter() {}

  /** Used heap in bytes once full collections stop freeing more than {@link #STABLE} of it. */
  static long liveBytes() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long last = memory.getHeapMemoryUsage().getUsed();
    for (int i = 1; i < MAX_ROUNDS; i++) {
      System.gc();
      long now = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(now - last) <= STABLE * Math.max(now, last)) {
        return now;
      }
      last = now;
    }
    return last;
  }

  /**
   * KiB per object, when {@code objects} new live objects (and nothing else that stays) took the
   * live heap from {@code before} to {@code after} bytes.
   */
  static double kibPerObject(long before, long after, int objects) {
    if (objects <= 0) {
      throw new IllegalArgumentException("no new objects to divide by: " + objects);
    }
    return (after - before) / 1024.0 / objects;
  }
}
