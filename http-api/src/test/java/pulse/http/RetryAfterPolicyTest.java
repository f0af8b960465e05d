package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryAfterPolicyTest {
  @Test
  void spreadsRetriesFromTheFirstBackoffToThreeTimesIt() {
    RetryAfterPolicy policy = RetryAfterPolicy.of(Duration.ofSeconds(1));
    assertEquals(1, policy.minSeconds());
    assertEquals(3, policy.maxSeconds());
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      long s = policy.seconds();
      assertTrue(s >= 1 && s <= 3, "Retry-After " + s + " outside 1..3");
      seen.add(s);
    }
    assertEquals(Set.of(1L, 2L, 3L), seen, "every second of the range is drawn");
  }

  @Test
  void roundsASubSecondBackoffUpToOneSecond() {
    RetryAfterPolicy policy = RetryAfterPolicy.of(Duration.ofMillis(300));
    assertEquals(1, policy.minSeconds());
    assertEquals(3, policy.maxSeconds());
    assertEquals(
        2, RetryAfterPolicy.of(Duration.ofMillis(1500)).minSeconds(), "1.5 s waits 2 s, not 1");
  }

  @Test
  void refusesARangeBelowOneSecond() {
    assertThrows(IllegalArgumentException.class, () -> new RetryAfterPolicy(0, 2, Integer::sum));
  }
}
