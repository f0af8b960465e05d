package pulse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransitionBlendTest {

  private static Map<Integer, Float> row(ItemTransitions t, int item) {
    Map<Integer, Float> m = new HashMap<>();
    int[] nb = t.neighbours(item);
    float[] w = t.weights(item);
    for (int k = 0; k < nb.length; k++) m.put(nb[k], w[k]);
    return m;
  }

  @Test
  void transitionsWeighNearerFollowersMoreAndPrecedersHalf() {
    ItemTransitions t = ItemTransitions.fit(new int[][] {{1, 2, 3, 4, 5}, {1, 2}}, 6);
    // After 1: 2 twice at distance 1, 3 at 2, 4 at 3; 5 is outside the window of 3.
    assertEquals(Map.of(2, 2f, 3, 0.5f, 4, 1f / 3), row(t, 1));
    // 3 followed 1 (half of 1/2), 2 (half of 1) and is followed by 4 (1) and 5 (1/2).
    assertEquals(Map.of(1, 0.25f, 2, 0.5f, 4, 1f, 5, 0.5f), row(t, 3));
    assertEquals(0, t.neighbours(6).length, "an item never seen has no row");
    assertEquals(0, t.neighbours(99).length, "an unknown index has no row");
    assertEquals(0, t.neighbours(0).length, "padding has no row");
  }

  @Test
  void itemsOutsideTheTableAreSkipped() {
    ItemTransitions t = ItemTransitions.fit(new int[][] {{1, 7, 2}}, 3);
    assertEquals(Map.of(2, 0.5f), row(t, 1), "7 is not counted, 2 still follows 1 at distance 2");
  }

  @Test
  void bonusIsTheWeightTimesLog1pOfTheTransition() {
    TransitionBlend b = new TransitionBlend(ItemTransitions.fit(new int[][] {{1, 2}}, 3), 2f, 0f);
    float[] scores = new float[2 * 4];
    b.addTo(scores, List.of(SequenceInput.of(3, 1), SequenceInput.of()));
    assertArrayEquals(new float[] {0, 0, 2f * (float) Math.log1p(1), 0, 0, 0, 0, 0}, scores);
    assertEquals(1, b.bonusCount(SequenceInput.of(3, 1)));
    assertEquals(0, b.bonusCount(SequenceInput.of()));
    assertThrows(
        IllegalArgumentException.class, () -> new TransitionBlend(b.transitions(), -1f, 0f));
    assertThrows(
        IllegalArgumentException.class, () -> new TransitionBlend(b.transitions(), Float.NaN, 0f));
    assertThrows(
        IllegalArgumentException.class, () -> new TransitionBlend(b.transitions(), 1f, 1.5f));
  }

  @Test
  void olderItemsAddTheirRowsDecayedAndOnlyTheLastThreeCount() {
    // Rows: 1 -> 5 (1/1), 2 -> 5 (1/1) and 6 (1/2), 3 -> 6 (1/1); 4 is followed by 7.
    ItemTransitions t =
        ItemTransitions.fit(new int[][] {{1, 5}, {2, 5}, {2, 9, 6}, {3, 6}, {4, 7}}, 9);
    TransitionBlend b = new TransitionBlend(t, 2f, 0.5f);
    float[] scores = new float[10];
    // History 4, 1, 2, 3: the last three are 3 (x2), 2 (x1), 1 (x0.5); 4 is too old.
    b.addTo(scores, List.of(SequenceInput.of(4, 1, 2, 3)));
    float l = (float) Math.log1p(1);
    assertEquals(1 * l + 0.5f * l, scores[5], 1e-6, "from 2 and from 1");
    assertEquals(2 * l + 1 * (float) Math.log1p(0.5), scores[6], 1e-6, "from 3 and from 2");
    assertEquals(0f, scores[7], "4 is not among the last three");
    float[] lastOnly = new float[10];
    new TransitionBlend(t, 2f, 0f).addTo(lastOnly, List.of(SequenceInput.of(4, 1, 2, 3)));
    assertEquals(0f, lastOnly[5], "decay 0: the last item alone");
    assertEquals(2 * l, lastOnly[6], 1e-6);
  }

  @Test
  void writeThenReadGivesTheSameBlend() throws IOException {
    TransitionBlend b =
        new TransitionBlend(ItemTransitions.fit(new int[][] {{1, 2, 3}, {3, 1}}, 4), 0.5f, 0.75f);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    b.write(out);
    TransitionBlend read = TransitionBlend.read(new ByteArrayInputStream(out.toByteArray()));
    assertEquals(0.5f, read.weight());
    assertEquals(0.75f, read.decay());
    assertEquals(b.transitions().size(), read.transitions().size());
    for (int item = 0; item <= 4; item++) {
      assertEquals(row(b.transitions(), item), row(read.transitions(), item));
    }
    byte[] damaged = out.toByteArray();
    damaged[9] ^= 0x40; // inside the magic number (after weight and decay)
    assertThrows(IOException.class, () -> TransitionBlend.read(new ByteArrayInputStream(damaged)));
  }

  @Test
  void recommendAndScoreAllAddTheSameBonus() {
    try (SasRecModel m = SasRecModel.create(TinyModels.config())) {
      List<SequenceInput> seqs = List.of(SequenceInput.of(1, 2, 3), SequenceInput.of(4, 5));
      float[] plain = m.scoreAll(seqs);
      // 3 -> 7 and 5 -> 8 were seen: a large weight puts them first.
      TransitionBlend blend =
          new TransitionBlend(ItemTransitions.fit(new int[][] {{3, 7}, {5, 8}}, 9), 100f, 0f);
      m.setTransitionBlend(blend);
      float[] blended = m.scoreAll(seqs);
      int width = plain.length / 2;
      float bonus = 100f * (float) Math.log1p(1);
      assertEquals(plain[7] + bonus, blended[7], 1e-3);
      assertEquals(plain[width + 8] + bonus, blended[width + 8], 1e-3);
      assertEquals(plain[width + 7], blended[width + 7], "no bonus outside the last item's row");
      List<Recommendations> recs =
          m.recommend(
              List.of(RecommendRequest.of(seqs.get(0)), RecommendRequest.of(seqs.get(1))), 2);
      assertEquals(7, recs.get(0).items()[0]);
      assertEquals(8, recs.get(1).items()[0]);
      assertEquals(blended[7], recs.get(0).scores()[0], 1e-3);
      m.setTransitionBlend(null);
      assertArrayEquals(plain, m.scoreAll(seqs));
      TransitionBlend tooWide = new TransitionBlend(ItemTransitions.fit(new int[0][], 20), 1f, 0f);
      assertThrows(IllegalArgumentException.class, () -> m.setTransitionBlend(tooWide));
    }
  }
}
