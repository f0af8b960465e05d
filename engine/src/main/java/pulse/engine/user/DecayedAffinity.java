package pulse.engine.user;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exponentially decayed per-category affinity with two half-lives. The closed form {@code sum w_i *
 * 2^(-(now - t_i)/h)} is kept as a score valid at a per-category reference time, which makes the
 * result independent of arrival order: an out-of-order event simply enters already decayed.
 */
final class DecayedAffinity {

  private static final double LN2 = Math.log(2);

  /**
   * Mutable on purpose: updated ~10k times/s per node, an immutable state would allocate on each
   * event.
   */
  private static final class Score {
    double shortTerm;
    double longTerm;
    long reference;

    Score(double shortTerm, double longTerm, long reference) {
      this.shortTerm = shortTerm;
      this.longTerm = longTerm;
      this.reference = reference;
    }
  }

  private final double shortRate;
  private final double longRate;
  private final int maxCategories;
  private final HashMap<String, Score> scores = new HashMap<>();

  DecayedAffinity(FeatureSettings settings) {
    this.shortRate = LN2 / settings.shortHalfLife().toMillis();
    this.longRate = LN2 / settings.longHalfLife().toMillis();
    this.maxCategories = settings.maxCategories();
  }

  void add(List<String> categories, double weight, long eventTime) {
    if (weight == 0) {
      return;
    }
    for (int i = 0, size = categories.size(); i < size; i++) {
      add(categories.get(i), weight, eventTime);
    }
  }

  private void add(String category, double weight, long t) {
    Score s = scores.get(category);
    if (s == null) {
      if (scores.size() >= maxCategories && !evictWeakerThan(weight, t)) {
        return;
      }
      scores.put(category, new Score(weight, weight, t));
      return;
    }
    if (t > s.reference) {
      double dt = t - s.reference;
      s.shortTerm = s.shortTerm * Math.exp(-shortRate * dt) + weight;
      s.longTerm = s.longTerm * Math.exp(-longRate * dt) + weight;
      s.reference = t;
    } else {
      double dt = s.reference - t;
      s.shortTerm += weight * Math.exp(-shortRate * dt);
      s.longTerm += weight * Math.exp(-longRate * dt);
    }
  }

  /**
   * Makes room for a new category by forgetting the one with the lowest long-term score at time t,
   * if that is lower than the newcomer's. Linear, but runs only once a user already has
   * maxCategories categories.
   */
  private boolean evictWeakerThan(double newcomerWeight, long t) {
    String weakest = null;
    double weakestScore = Double.POSITIVE_INFINITY;
    for (Map.Entry<String, Score> e : scores.entrySet()) {
      double v = e.getValue().longTerm * Math.exp(-longRate * (t - e.getValue().reference));
      if (v < weakestScore) {
        weakestScore = v;
        weakest = e.getKey();
      }
    }
    if (weakest == null || weakestScore >= newcomerWeight) {
      return false;
    }
    scores.remove(weakest);
    return true;
  }

  /**
   * Categories ordered by long-term affinity (then short-term, then name), at most {@code limit}.
   */
  List<CategoryAffinity> topAt(long now, int limit) {
    List<CategoryAffinity> all = new ArrayList<>(scores.size());
    for (Map.Entry<String, Score> e : scores.entrySet()) {
      Score s = e.getValue();
      double dt = now - s.reference;
      all.add(
          new CategoryAffinity(
              e.getKey(),
              s.shortTerm * Math.exp(-shortRate * dt),
              s.longTerm * Math.exp(-longRate * dt)));
    }
    all.sort(
        Comparator.comparingDouble(CategoryAffinity::longTerm)
            .reversed()
            .thenComparing(Comparator.comparingDouble(CategoryAffinity::shortTerm).reversed())
            .thenComparing(CategoryAffinity::category));
    return List.copyOf(all.subList(0, Math.min(limit, all.size())));
  }

  Map<String, AffinityState> toSnapshot() {
    Map<String, AffinityState> out = new HashMap<>();
    scores.forEach((c, s) -> out.put(c, new AffinityState(s.shortTerm, s.longTerm, s.reference)));
    return out;
  }

  static DecayedAffinity restore(FeatureSettings settings, Map<String, AffinityState> snapshot) {
    DecayedAffinity a = new DecayedAffinity(settings);
    snapshot.forEach(
        (c, s) -> a.scores.put(c, new Score(s.shortTerm(), s.longTerm(), s.referenceTime())));
    return a;
  }
}
