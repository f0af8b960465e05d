package pulse.engine.experiment;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Running totals of finished lists ({@link ListOutcome}) per experiment variant: the sufficient
 * statistics of the online metrics, so a variant's CTR, conversion, NDCG and latency can be read at
 * any time, compared between variants, stored, and resumed after a restart without the events.
 *
 * <p>Every finished list counts, fallback lists included (they were served under the variant; their
 * share is reported separately by {@link Snapshot#fallbackShare()}).
 *
 * <p>Not thread-safe: one owner (an actor) adds to it and reads from it. Snapshots are immutable
 * values and may be shared freely.
 */
public final class VariantTotals {

  /**
   * Upper bounds, in milliseconds, of the latency buckets: bucket i holds latencies in {@code
   * (bound[i-1], bound[i]]}, the first from 0, the last unbounded. Fixed, so that snapshots from
   * different nodes and times can be merged bucket by bucket.
   */
  public static final List<Double> LATENCY_BUCKET_UPPER_BOUNDS_MS =
      List.of(
          1.0,
          2.0,
          5.0,
          10.0,
          20.0,
          50.0,
          100.0,
          200.0,
          500.0,
          1000.0,
          2000.0,
          5000.0,
          Double.POSITIVE_INFINITY);

  private static final int LATENCY_BUCKETS = LATENCY_BUCKET_UPPER_BOUNDS_MS.size();

  /**
   * A variant's totals at one moment. Every ratio is NaN when its denominator is 0.
   *
   * @param lists finished lists
   * @param impressions items shown: the sum of {@link ListOutcome#listSize()}
   * @param clickedLists lists with at least one attributed click
   * @param clicks attributed clicks
   * @param cartedLists lists with at least one attributed add to cart
   * @param purchasedLists lists with at least one attributed purchase
   * @param listsWithNextAction lists with a next action within the window ({@code nextRank !=
   *     null})
   * @param ndcgN how many NDCG@10 values were summed: one per list with a next action
   * @param ndcgSum the sum of {@link ListOutcome#ndcgAt10()} over those lists
   * @param ndcgSumOfSquares the sum of its squares over those lists
   * @param fallbackLists lists served from the trending fallback
   * @param latencyBucketCounts lists per latency bucket, one count per {@link
   *     #LATENCY_BUCKET_UPPER_BOUNDS_MS} bound; they sum to {@code lists}
   */
  public record Snapshot(
      long lists,
      long impressions,
      long clickedLists,
      long clicks,
      long cartedLists,
      long purchasedLists,
      long listsWithNextAction,
      long ndcgN,
      double ndcgSum,
      double ndcgSumOfSquares,
      long fallbackLists,
      List<Long> latencyBucketCounts) {

    /** Totals of a variant that has finished no list. */
    public static final Snapshot EMPTY =
        new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0.0, 0, Collections.nCopies(LATENCY_BUCKETS, 0L));

    public Snapshot {
      latencyBucketCounts = List.copyOf(latencyBucketCounts);
      if (latencyBucketCounts.size() != LATENCY_BUCKETS) {
        throw new IllegalArgumentException(
            "expected "
                + LATENCY_BUCKETS
                + " latency bucket counts, got "
                + latencyBucketCounts.size());
      }
      long counted = latencyBucketCounts.stream().mapToLong(Long::longValue).sum();
      if (counted != lists || latencyBucketCounts.stream().anyMatch(c -> c < 0)) {
        throw new IllegalArgumentException(
            "latency bucket counts must be non-negative and sum to lists ("
                + lists
                + "), were "
                + latencyBucketCounts);
      }
    }

    /**
     * CTR@k: the share of served lists with at least one attributed click, {@code clickedLists /
     * lists} (k being each list's own length).
     */
    public double ctr() {
      return (double) clickedLists / lists;
    }

    /**
     * The share of served lists with at least one attributed purchase, {@code purchasedLists /
     * lists}.
     */
    public double conversion() {
      return (double) purchasedLists / lists;
    }

    /** Mean NDCG@10 over the lists with a next action, {@code ndcgSum / ndcgN}. */
    public double ndcgMean() {
      return ndcgSum / ndcgN;
    }

    /**
     * The share of served lists that came from the trending fallback, {@code fallbackLists /
     * lists}.
     */
    public double fallbackShare() {
      return (double) fallbackLists / lists;
    }

    /**
     * The latency at quantile {@code q} (0..1), as the upper bound of the bucket holding the {@code
     * ceil(q * lists)}-th smallest latency (at least the first): an upper estimate, exact to the
     * bucket. {@code +Infinity} when that bucket is the last; NaN when there are no lists.
     */
    public double latencyQuantileMs(double q) {
      if (!(q >= 0.0 && q <= 1.0)) {
        throw new IllegalArgumentException("quantile must be in [0, 1], was " + q);
      }
      if (lists == 0) {
        return Double.NaN;
      }
      long rank = Math.max(1L, (long) Math.ceil(q * lists));
      long seen = 0;
      for (int i = 0; i < LATENCY_BUCKETS; i++) {
        seen += latencyBucketCounts.get(i);
        if (seen >= rank) {
          return LATENCY_BUCKET_UPPER_BOUNDS_MS.get(i);
        }
      }
      throw new IllegalStateException("bucket counts sum to less than lists: " + this);
    }

    /** The totals of both, as if every list of each had been added to one. */
    public Snapshot merge(Snapshot other) {
      return new Snapshot(
          lists + other.lists,
          impressions + other.impressions,
          clickedLists + other.clickedLists,
          clicks + other.clicks,
          cartedLists + other.cartedLists,
          purchasedLists + other.purchasedLists,
          listsWithNextAction + other.listsWithNextAction,
          ndcgN + other.ndcgN,
          ndcgSum + other.ndcgSum,
          ndcgSumOfSquares + other.ndcgSumOfSquares,
          fallbackLists + other.fallbackLists,
          IntStream.range(0, LATENCY_BUCKETS)
              .mapToObj(i -> latencyBucketCounts.get(i) + other.latencyBucketCounts.get(i))
              .toList());
    }
  }

  /** Count, sum and sum of squares of a stream of values: enough for its mean and variance. */
  private static final class RunningMoments {
    long n;
    double sum;
    double sumOfSquares;

    void add(double x) {
      n++;
      sum += x;
      sumOfSquares += x * x;
    }
  }

  /** One variant's totals while they grow; a {@link Snapshot} is its frozen copy. */
  private static final class Running {
    long lists;
    long impressions;
    long clickedLists;
    long clicks;
    long cartedLists;
    long purchasedLists;
    long listsWithNextAction;
    final RunningMoments ndcg = new RunningMoments();
    long fallbackLists;
    final long[] latencyBucketCounts = new long[LATENCY_BUCKETS];

    static Running of(Snapshot s) {
      var r = new Running();
      r.lists = s.lists();
      r.impressions = s.impressions();
      r.clickedLists = s.clickedLists();
      r.clicks = s.clicks();
      r.cartedLists = s.cartedLists();
      r.purchasedLists = s.purchasedLists();
      r.listsWithNextAction = s.listsWithNextAction();
      r.ndcg.n = s.ndcgN();
      r.ndcg.sum = s.ndcgSum();
      r.ndcg.sumOfSquares = s.ndcgSumOfSquares();
      r.fallbackLists = s.fallbackLists();
      for (int i = 0; i < LATENCY_BUCKETS; i++) {
        r.latencyBucketCounts[i] = s.latencyBucketCounts().get(i);
      }
      return r;
    }

    void add(ListOutcome o) {
      lists++;
      impressions += o.listSize();
      clickedLists += o.clicked() ? 1 : 0;
      clicks += o.clicks();
      cartedLists += o.carted() ? 1 : 0;
      purchasedLists += o.purchased() ? 1 : 0;
      if (o.nextRank() != null) {
        listsWithNextAction++;
        ndcg.add(o.ndcgAt10());
      }
      fallbackLists += o.fallback() ? 1 : 0;
      latencyBucketCounts[latencyBucketOf(o.tookMs())]++;
    }

    Snapshot snapshot() {
      return new Snapshot(
          lists,
          impressions,
          clickedLists,
          clicks,
          cartedLists,
          purchasedLists,
          listsWithNextAction,
          ndcg.n,
          ndcg.sum,
          ndcg.sumOfSquares,
          fallbackLists,
          Arrays.stream(latencyBucketCounts).boxed().toList());
    }
  }

  /** Experiment, then variant. */
  private final Map<String, Map<String, Running>> byExperiment = new HashMap<>();

  /** Adds one finished list to its variant's totals. */
  public void add(ListOutcome o) {
    byExperiment
        .computeIfAbsent(o.experiment(), e -> new TreeMap<>())
        .computeIfAbsent(o.variant(), v -> new Running())
        .add(o);
  }

  /** The variant's totals now; empty when it has finished no list and was not restored. */
  public Optional<Snapshot> snapshot(String experiment, String variant) {
    return Optional.ofNullable(byExperiment.get(experiment))
        .map(variants -> variants.get(variant))
        .map(Running::snapshot);
  }

  /** The totals now of every variant of the experiment, keyed by variant (sorted by name). */
  public Map<String, Snapshot> snapshotsOf(String experiment) {
    var variants = byExperiment.getOrDefault(experiment, Map.of());
    return Collections.unmodifiableMap(
        variants.entrySet().stream()
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey, e -> e.getValue().snapshot(), (a, b) -> a, TreeMap::new)));
  }

  /**
   * Replaces the variant's totals with stored ones, to resume after a restart; later {@link #add}s
   * count on top of them.
   */
  public void restore(String experiment, String variant, Snapshot s) {
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(variant, "variant");
    byExperiment
        .computeIfAbsent(experiment, e -> new TreeMap<>())
        .put(variant, Running.of(Objects.requireNonNull(s, "snapshot")));
  }

  /** The index of the latency bucket holding {@code tookMs}; NaN and negatives go to the first. */
  static int latencyBucketOf(double tookMs) {
    for (int i = 0; i < LATENCY_BUCKETS - 1; i++) {
      if (!(tookMs > LATENCY_BUCKET_UPPER_BOUNDS_MS.get(i))) {
        return i;
      }
    }
    return LATENCY_BUCKETS - 1;
  }
}
