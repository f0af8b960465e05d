package pulse.engine.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamBackoffTest {
  private static StreamBackoff exact() {
    return new StreamBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0, new Random(1));
  }

  @Test
  void failuresInARowDoubleTheWaitUpToTheMaximum() {
    StreamBackoff b = exact();
    long[] waits = new long[7];
    for (int i = 0; i < waits.length; i++) {
      waits[i] = b.ended(1000L * i).toMillis();
    }
    assertEquals(
        java.util.List.of(1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L),
        java.util.Arrays.stream(waits).boxed().toList());
  }

  @Test
  void aStreamThatStayedUpLongerThanTheMaximumStartsTheDoublingAgain() {
    StreamBackoff b = exact();
    b.ended(0);
    b.ended(1);
    assertEquals(4000, b.ended(2).toMillis());
    b.up(10_000);
    assertEquals(1000, b.ended(40_000).toMillis());
  }

  @Test
  void aStreamThatFailsSoonAfterReadingKeepsBackingOff() {
    StreamBackoff b = exact();
    b.ended(0);
    b.up(1_000);
    assertEquals(2000, b.ended(2_000).toMillis());
  }

  @Test
  void theRandomFactorOnlyStretches() {
    StreamBackoff b =
        new StreamBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2, new Random(7));
    long first = b.ended(0).toMillis();
    assertTrue(first >= 1000 && first <= 1200, "was " + first);
  }

  @Test
  void aMinimumAboveTheMaximumIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new StreamBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1), 0, new Random()));
  }
}
