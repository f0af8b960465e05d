package pulse.engine.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentReportTest {
  private static final String EXP = "e";

  private static ListOutcome outcome(String variant, boolean clicked, Integer nextRank) {
    return new ListOutcome(
        EXP, variant, 10, clicked, clicked ? 1 : 0, false, false, nextRank, false, 5.0);
  }

  @Test
  void theShadowHasNdcgAgainstTheControlNoCtrAndStaysOutOfTheSampleRatio() {
    Experiment e =
        new Experiment(
            EXP,
            List.of(
                new Variant("control", 1, ServingPolicy.TRENDING),
                new Variant("model", 1, ServingPolicy.MODEL)),
            "control",
            new Variant("next", 1, ServingPolicy.PINNED, "v9"),
            Experiment.Status.RUNNING,
            Instant.EPOCH,
            null);
    VariantTotals totals = new VariantTotals();
    // 600 lists per served arm (an even split), and a shadow list beside every one: 1,200.
    for (int i = 0; i < 600; i++) {
      totals.add(outcome("control", i % 10 == 0, 4)); // NDCG 1/log2(5) = 0.4307
      totals.add(outcome("model", i % 5 == 0, 1)); // NDCG 1
      totals.add(outcome("next", false, 2)); // NDCG 1/log2(3) = 0.6309
      totals.add(outcome("next", false, 2));
    }
    ExperimentReport r = ExperimentReport.of(e, totals.snapshotsOf(EXP), 0);

    assertFalse(r.sampleRatioMismatch(), "1,200 shadow lists against weight 0 are no drift");
    assertEquals(3, r.variants().size());
    ExperimentReport.VariantFigures shadow = r.variants().get(2);
    assertTrue(shadow.shadow());
    assertEquals("next", shadow.variant());
    assertEquals(0, shadow.share());
    assertEquals(1_200, shadow.lists());
    assertNull(shadow.ctr(), "never shown: no CTR");
    assertNull(shadow.ctrVsControl());
    assertEquals(1 / (Math.log(3) / Math.log(2)), shadow.ndcg10().estimate(), 1e-9);
    assertEquals(
        1 / (Math.log(3) / Math.log(2)) - 1 / (Math.log(5) / Math.log(2)),
        shadow.ndcg10VsControl().estimate(),
        1e-9);
    assertFalse(r.variants().get(1).shadow());
    assertEquals(0.5, r.variants().get(1).share());
  }
}
