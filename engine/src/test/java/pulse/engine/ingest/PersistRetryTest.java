package pulse.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PersistRetryTest {
  private final PersistRetry retry =
      new PersistRetry(6, Duration.ofMillis(500), Duration.ofSeconds(4), 0.0);

  @Test
  void theFirstTryDoesNotWaitAndLaterOnesDoubleUpToTheCap() {
    assertEquals(Optional.of(Duration.ZERO), retry.delayBefore(1, () -> 0.5));
    assertEquals(Optional.of(Duration.ofMillis(500)), retry.delayBefore(2, () -> 0.5));
    assertEquals(Optional.of(Duration.ofMillis(1000)), retry.delayBefore(3, () -> 0.5));
    assertEquals(Optional.of(Duration.ofMillis(2000)), retry.delayBefore(4, () -> 0.5));
    assertEquals(Optional.of(Duration.ofMillis(4000)), retry.delayBefore(5, () -> 0.5));
    assertEquals(Optional.of(Duration.ofMillis(4000)), retry.delayBefore(6, () -> 0.5));
  }

  @Test
  void pastTheLastAttemptItGivesUp() {
    assertEquals(Optional.empty(), retry.delayBefore(7, () -> 0.5));
  }

  @Test
  void theRandomFactorStretchesEachWaitByAtMostItsShare() {
    PersistRetry jittered = new PersistRetry(3, Duration.ofSeconds(1), Duration.ofSeconds(8), 0.2);
    assertEquals(Optional.of(Duration.ofMillis(1000)), jittered.delayBefore(2, () -> 0.0));
    assertEquals(Optional.of(Duration.ofMillis(1200)), jittered.delayBefore(2, () -> 1.0));
  }

  @Test
  void manyAttemptsDoNotOverflowTheBackoff() {
    PersistRetry many = new PersistRetry(100, Duration.ofSeconds(1), Duration.ofSeconds(10), 0.0);
    assertEquals(Optional.of(Duration.ofSeconds(10)), many.delayBefore(100, () -> 0.0));
  }

  @Test
  void theDefaultsRideOutAMinuteLongCassandraOutage() {
    PersistRetry defaults =
        PersistRetry.fromConfig(ConfigFactory.load().getConfig("pulse.ingest.kafka.persist-retry"));
    assertTrue(
        defaults.worstCaseWait().compareTo(Duration.ofSeconds(60)) >= 0,
        "worst-case wait " + defaults.worstCaseWait());
  }

  @Test
  void badSettingsAreRefusedWithTheirNames() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new PersistRetry(0, Duration.ZERO, Duration.ZERO, 0));
    assertTrue(e.getMessage().contains("attempts"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PersistRetry(2, Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
  }
}
