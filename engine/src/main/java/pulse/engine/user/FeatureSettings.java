package pulse.engine.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pulse.engine.event.EventType;

/**
 * Every tunable of the per-user feature aggregate. Travels inside {@link UserFeatures.Snapshot}
 * because the bucket rings and bounds in a snapshot only make sense with the settings that produced
 * them.
 *
 * @param recentCapacity how many interactions the recent sequence keeps (newest by event time)
 * @param sequenceTypes event types that enter the recent sequence; impressions and searches are
 *     exposures and queries rather than item interactions, so they are left out by default
 * @param windows sliding count windows (by event time)
 * @param ctrWindows names of windows over which click-through rate is reported
 * @param allowedLateness an event older than (latest event time seen - this) is late: it skips
 *     windows and the session but still enters the sequence, the totals and everything else
 * @param shortHalfLife half-life of the short-term category affinity
 * @param longHalfLife half-life of the long-term category affinity
 * @param affinityWeights how much one event of a type adds to each of its item's categories (absent
 *     = 0)
 * @param maxCategories categories kept per user; beyond it the weakest long-term one is forgotten
 * @param topCategories categories listed in the feature view
 * @param sessionGap inactivity that ends a session (a gap of exactly this long starts a new one)
 * @param dwellEmaAlpha weight of the newest dwell time in the EMA, in (0, 1]
 * @param maxDevices distinct device names counted per user; the rest are counted as "other"
 * @param dedupMaxIds event ids remembered for duplicate detection
 * @param dedupMaxAge ids older than this (by the user's event-time watermark) are forgotten
 */
public record FeatureSettings(
    @JsonProperty("recentCapacity") int recentCapacity,
    @JsonProperty("sequenceTypes") Set<EventType> sequenceTypes,
    @JsonProperty("windows") List<WindowSpec> windows,
    @JsonProperty("ctrWindows") List<String> ctrWindows,
    @JsonProperty("allowedLateness") Duration allowedLateness,
    @JsonProperty("shortHalfLife") Duration shortHalfLife,
    @JsonProperty("longHalfLife") Duration longHalfLife,
    @JsonProperty("affinityWeights") Map<EventType, Double> affinityWeights,
    @JsonProperty("maxCategories") int maxCategories,
    @JsonProperty("topCategories") int topCategories,
    @JsonProperty("sessionGap") Duration sessionGap,
    @JsonProperty("dwellEmaAlpha") double dwellEmaAlpha,
    @JsonProperty("maxDevices") int maxDevices,
    @JsonProperty("dedupMaxIds") int dedupMaxIds,
    @JsonProperty("dedupMaxAge") Duration dedupMaxAge) {

  /** Name under which devices beyond {@link #maxDevices()} are counted. */
  public static final String OTHER_DEVICE = "other";

  @JsonCreator
  public FeatureSettings {
    sequenceTypes = Set.copyOf(sequenceTypes);
    windows = List.copyOf(windows);
    ctrWindows = List.copyOf(ctrWindows);
    affinityWeights = Map.copyOf(affinityWeights);
    if (recentCapacity < 1
        || maxCategories < 1
        || topCategories < 0
        || maxDevices < 1
        || dedupMaxIds < 1) {
      throw new IllegalArgumentException("capacities must be positive");
    }
    if (!(dwellEmaAlpha > 0 && dwellEmaAlpha <= 1)) {
      throw new IllegalArgumentException("dwellEmaAlpha must be in (0, 1], was " + dwellEmaAlpha);
    }
    if (shortHalfLife.toMillis() <= 0
        || longHalfLife.toMillis() <= 0
        || sessionGap.toMillis() <= 0
        || allowedLateness.isNegative()
        || dedupMaxAge.isNegative()) {
      throw new IllegalArgumentException("durations must be positive");
    }
    for (String ctr : ctrWindows) {
      if (windows.stream().noneMatch(w -> w.name().equals(ctr))) {
        throw new IllegalArgumentException("ctr window " + ctr + " is not one of the windows");
      }
    }
    if (windows.stream().map(WindowSpec::name).distinct().count() != windows.size()) {
      throw new IllegalArgumentException("window names must be unique");
    }
    for (double w : affinityWeights.values()) {
      if (!Double.isFinite(w) || w < 0) {
        throw new IllegalArgumentException("affinity weights must be finite and non-negative");
      }
    }
  }

  /**
   * {@code pulse.user} as the engine's reference.conf ships it (pulse/engine/user.conf) (see {@link
   * UserSettings}).
   */
  public static FeatureSettings defaults() {
    return UserSettings.features(ConfigFactory.defaultReference().getConfig("pulse.user"));
  }

  public FeatureSettings withRecentCapacity(int n) {
    return new FeatureSettings(
        n,
        sequenceTypes,
        windows,
        ctrWindows,
        allowedLateness,
        shortHalfLife,
        longHalfLife,
        affinityWeights,
        maxCategories,
        topCategories,
        sessionGap,
        dwellEmaAlpha,
        maxDevices,
        dedupMaxIds,
        dedupMaxAge);
  }

  public FeatureSettings withDedup(int maxIds, Duration maxAge) {
    return new FeatureSettings(
        recentCapacity,
        sequenceTypes,
        windows,
        ctrWindows,
        allowedLateness,
        shortHalfLife,
        longHalfLife,
        affinityWeights,
        maxCategories,
        topCategories,
        sessionGap,
        dwellEmaAlpha,
        maxDevices,
        maxIds,
        maxAge);
  }

  public FeatureSettings withMaxCategories(int max) {
    return new FeatureSettings(
        recentCapacity,
        sequenceTypes,
        windows,
        ctrWindows,
        allowedLateness,
        shortHalfLife,
        longHalfLife,
        affinityWeights,
        max,
        topCategories,
        sessionGap,
        dwellEmaAlpha,
        maxDevices,
        dedupMaxIds,
        dedupMaxAge);
  }

  public FeatureSettings withMaxDevices(int max) {
    return new FeatureSettings(
        recentCapacity,
        sequenceTypes,
        windows,
        ctrWindows,
        allowedLateness,
        shortHalfLife,
        longHalfLife,
        affinityWeights,
        maxCategories,
        topCategories,
        sessionGap,
        dwellEmaAlpha,
        max,
        dedupMaxIds,
        dedupMaxAge);
  }
}
