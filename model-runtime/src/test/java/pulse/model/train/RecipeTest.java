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
  void sparseDataGetsTheHigherDropout() {
    assertEquals(0.5, Recipe.dropout(7.3)); // Games
    assertEquals(0.5, Recipe.dropout(29.9));
    assertEquals(0.2, Recipe.dropout(30));
    assertEquals(0.2, Recipe.dropout(104)); // MovieLens 100K
    assertEquals(0.0, Recipe.meanLength(new int[0][]));
    assertEquals(2.5, Recipe.meanLength(new int[][] {{1, 2}, {1, 2, 3}}));
  }

  @Test
  void negativesPerLoss() {
    assertEquals(1, Recipe.negatives(LossKind.BCE));
    assertEquals(Recipe.SHARED_NEGATIVES, Recipe.negatives(LossKind.SAMPLED_CE));
  }
}
