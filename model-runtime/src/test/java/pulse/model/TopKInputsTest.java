package pulse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopKInputsTest {

  @Test
  void pairsNameTheRowAndDropItemsOutsideTheCatalogue() {
    TopKInputs in =
        TopKInputs.of(
            List.of(
                new RecommendRequest(SequenceInput.of(1), new int[] {3, 99, 0, -1}, null),
                new RecommendRequest(SequenceInput.of(2), new int[] {4}, new int[] {5, 0, 11, 6})),
            10);
    // Padding (0) may be excluded (it is blocked anyway); 99 and -1 are not items.
    assertArrayEquals(new int[] {0, 3, 0, 0, 1, 4}, in.excludePairs());
    // An allowed item must be a real one (1..10).
    assertArrayEquals(new int[] {1, 5, 1, 6}, in.allowPairs());
    assertArrayEquals(new float[] {0f, 1f}, in.hasAllowed());
  }

  @Test
  void noExclusionsGiveEmptyPairs() {
    TopKInputs in = TopKInputs.of(List.of(RecommendRequest.of(SequenceInput.of(1, 2))), 10);
    assertArrayEquals(new int[0], in.excludePairs());
    assertArrayEquals(new int[0], in.allowPairs());
    assertArrayEquals(new float[] {0f}, in.hasAllowed());
  }
}
