package pulse.engine.experiment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AssignmentTest {
  private static Assignment pinned(boolean forced) {
    return new Assignment("rollout-1", "canary", ServingPolicy.PINNED, "v9", forced);
  }

  @Test
  void aPinnedVariantCountsTheListsItsVersionOrItsFallbackServed() {
    assertTrue(pinned(false).counts("v9"));
    assertTrue(pinned(false).counts(null), "the canary failed to answer: its failure");
  }

  @Test
  void aListTheCurrentModelServedInsteadOfThePinnedVersionDoesNotCount() {
    assertFalse(pinned(false).counts("v12"));
  }

  @Test
  void otherPoliciesCountWhateverServedAndForcedAnswersNever() {
    Assignment control = new Assignment("rollout-1", "control", ServingPolicy.MODEL, null, false);
    assertTrue(control.counts("v12"));
    assertTrue(control.counts(null));
    assertFalse(pinned(true).counts("v9"));
  }
}
