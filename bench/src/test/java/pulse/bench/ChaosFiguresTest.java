package pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChaosFiguresTest {
  @Test
  void missingCountsAreLostAndExtraCountsBeyondTheUnackedAreTwice() {
    assertEquals(new ChaosFigures.Counts(2, 0), ChaosFigures.compare(10, 0, 8));
    assertEquals(
        new ChaosFigures.Counts(0, 0), ChaosFigures.compare(10, 1, 11), "given up, then persisted");
    assertEquals(new ChaosFigures.Counts(0, 1), ChaosFigures.compare(10, 1, 12));
  }

  @Test
  void nodesHaveCaughtUpWhenEachServesTheTargetOrALaterUpdateOfIt() {
    assertTrue(ChaosFigures.caughtUp(List.of("m1.u5", "m1.u7", "m1.u5"), "m1.u5"));
    assertFalse(ChaosFigures.caughtUp(List.of("m1.u5", "m1.u4", "m1.u9"), "m1.u5"), "one behind");
    assertFalse(ChaosFigures.caughtUp(List.of("m1.u5", "m2.u9"), "m1.u5"), "another base");
    assertTrue(ChaosFigures.caughtUp(List.of("m1", "m1"), "m1"), "a base model, no updates");
    assertTrue(ChaosFigures.caughtUp(List.of("m1.u1", "m1.u2"), "m1"));
    assertFalse(ChaosFigures.caughtUp(List.of(), "m1"), "no node answered");
    assertFalse(ChaosFigures.caughtUp(List.of("m1"), null), "no target");
  }

  @Test
  void feedbackLostIsWhatWasAcknowledgedButNeverPublished() {
    assertEquals(1, ChaosFigures.feedbackLost(List.of("a", "b", "c"), Set.of("a", "c", "x")));
  }

  @Test
  void statusesAreCountedAsAJsonObject() {
    List<ChaosLoad.Attempt> a =
        List.of(
            new ChaosLoad.Attempt(1, true, 202, false),
            new ChaosLoad.Attempt(2, true, 503, false),
            new ChaosLoad.Attempt(3, false, 200, false),
            new ChaosLoad.Attempt(4, false, -1, false),
            new ChaosLoad.Attempt(5, true, 202, false));
    assertEquals("{\"none\":1,\"200\":1,\"202\":2,\"503\":1}", ChaosFigures.byStatusJson(a));
  }

  @Test
  void modelServedAgainAfterTheLastFallbackOrFailedReadSinceTheFault() {
    List<ChaosLoad.Attempt> a =
        List.of(
            new ChaosLoad.Attempt(1_000, false, 200, false),
            new ChaosLoad.Attempt(6_000, false, 503, false),
            new ChaosLoad.Attempt(9_000, false, 200, true),
            new ChaosLoad.Attempt(12_000, false, 200, false));
    assertEquals(4.0, ChaosFigures.secondsToModelServed(a, 5_000));
    assertTrue(
        Double.isNaN(
            ChaosFigures.secondsToModelServed(
                List.of(new ChaosLoad.Attempt(1, false, 200, true)), 0)),
        "no model at all");
  }
}
