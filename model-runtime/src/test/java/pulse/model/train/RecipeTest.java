package pulse.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import pulse.model.LossKind;

class RecipeTest {

  @Test
  void smallDataGetsBatchesForAtLeastThirtyStepsAnEpoch() {
    assertEquals(128, Recipe.batch(31_013)); // Games
    assertEquals(128, Recipe.batch(3_840));
    assertEquals(127, Recipe.batch(3_839));
    assertEquals(31, Recipe.batch(943)); // MovieLens 100K
    assertEquals(16, Recipe.batch(100));
  }

  @Test
  void negativesPerLoss() {
    assertEquals(1, Recipe.negatives(LossKind.BCE));
    assertEquals(Recipe.SHARED_NEGATIVES, Recipe.negatives(LossKind.SAMPLED_CE));
  }
}
