package pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static pulse.engine.user.Events.DAY;
import static pulse.engine.user.Events.HOUR;
import static pulse.engine.user.Events.T0;

import java.util.List;
import org.junit.jupiter.api.Test;

class DecayedAffinityTest {

  private static final double EPS = 1e-12;

  private final DecayedAffinity affinity = new DecayedAffinity(FeatureSettings.defaults());

  private CategoryAffinity only(long now) {
    List<CategoryAffinity> top = affinity.topAt(now, 10);
    assertEquals(1, top.size());
    return top.get(0);
  }

  @Test
  void oneEventHalvesAfterEachHalfLife() {
    affinity.add(List.of("jazz"), 2.0, T0);
    CategoryAffinity atStart = only(T0);
    assertEquals(2.0, atStart.shortTerm(), EPS);
    assertEquals(2.0, atStart.longTerm(), EPS);

    CategoryAffinity afterHour = only(T0 + HOUR);
    assertEquals(1.0, afterHour.shortTerm(), EPS);
    assertEquals(2.0 * Math.pow(2, -1.0 / 168), afterHour.longTerm(), EPS);

    CategoryAffinity afterWeek = only(T0 + 7 * DAY);
    assertEquals(2.0 * Math.pow(2, -168), afterWeek.shortTerm(), 1e-60);
    assertEquals(1.0, afterWeek.longTerm(), EPS);
  }

  @Test
  void scoresAreTheClosedFormSumWhateverTheArrivalOrder() {
    DecayedAffinity reversed = new DecayedAffinity(FeatureSettings.defaults());
    affinity.add(List.of("jazz"), 1.0, T0);
    affinity.add(List.of("jazz"), 3.0, T0 + 2 * HOUR);
    reversed.add(List.of("jazz"), 3.0, T0 + 2 * HOUR);
    reversed.add(List.of("jazz"), 1.0, T0);

    long now = T0 + 3 * HOUR;
    double expectedShort = 1.0 * Math.pow(2, -3) + 3.0 * Math.pow(2, -1);
    double expectedLong = 1.0 * Math.pow(2, -3.0 / 168) + 3.0 * Math.pow(2, -1.0 / 168);
    for (DecayedAffinity a : List.of(affinity, reversed)) {
      CategoryAffinity c = a.topAt(now, 1).get(0);
      assertEquals(expectedShort, c.shortTerm(), EPS);
      assertEquals(expectedLong, c.longTerm(), EPS);
    }
  }

  @Test
  void topCategoriesComeFirstByLongTermThenShortTermThenName() {
    affinity.add(List.of("old-favourite"), 10.0, T0);
    affinity.add(List.of("new", "also-new"), 1.0, T0 + 2 * DAY);
    affinity.add(List.of("b-tie", "a-tie"), 0.5, T0 + 2 * DAY);
    List<String> order =
        affinity.topAt(T0 + 2 * DAY, 10).stream().map(CategoryAffinity::category).toList();
    assertEquals(List.of("old-favourite", "also-new", "new", "a-tie", "b-tie"), order);
    assertEquals(2, affinity.topAt(T0 + 2 * DAY, 2).size());
  }

  @Test
  void zeroWeightAddsNothing() {
    affinity.add(List.of("x"), 0.0, T0);
    assertEquals(List.of(), affinity.topAt(T0, 10));
  }

  @Test
  void beyondMaxCategoriesTheWeakestLongTermIsForgotten() {
    DecayedAffinity small = new DecayedAffinity(FeatureSettings.defaults().withMaxCategories(2));
    small.add(List.of("weak"), 1.0, T0);
    small.add(List.of("strong"), 5.0, T0);
    small.add(List.of("newer"), 2.0, T0 + HOUR);
    assertEquals(
        List.of("strong", "newer"),
        small.topAt(T0 + HOUR, 10).stream().map(CategoryAffinity::category).toList());
    // A newcomer weaker than everyone kept is not admitted.
    small.add(List.of("tiny"), 0.1, T0 + HOUR);
    assertEquals(
        List.of("strong", "newer"),
        small.topAt(T0 + HOUR, 10).stream().map(CategoryAffinity::category).toList());
  }

  @Test
  void snapshotRoundTripIsExact() {
    affinity.add(List.of("a", "b"), 1.5, T0);
    affinity.add(List.of("a"), 2.0, T0 + HOUR);
    DecayedAffinity restored =
        DecayedAffinity.restore(FeatureSettings.defaults(), affinity.toSnapshot());
    assertEquals(affinity.toSnapshot(), restored.toSnapshot());
    assertEquals(affinity.topAt(T0 + DAY, 10), restored.topAt(T0 + DAY, 10));
  }
}
