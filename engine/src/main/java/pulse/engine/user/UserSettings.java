package pulse.engine.user;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import pulse.engine.event.EventType;
import pulse.engine.event.EventWeights;
import pulse.engine.event.OutboxTags;

/**
 * {@code pulse.user} (defaults in the engine's pulse/engine/user.conf) as the entity's settings.
 * The feature windows and the smaller bounds are not configurable; they are fixed here.
 */
public final class UserSettings {
  private UserSettings() {}

  /**
   * Event types that enter the recent sequence: impressions and searches are exposures and queries
   * rather than item interactions.
   */
  private static final Set<EventType> SEQUENCE_TYPES =
      Set.of(
          EventType.VIEW,
          EventType.CLICK,
          EventType.ADD_TO_CART,
          EventType.PURCHASE,
          EventType.RATING);

  /** Bucket widths keep each window within ~2-3% precision at ~200 buckets per user in all. */
  private static final List<WindowSpec> WINDOWS =
      List.of(
          WindowSpec.of("5m", Duration.ofMinutes(5), Duration.ofSeconds(10)),
          WindowSpec.of("1h", Duration.ofHours(1), Duration.ofMinutes(1)),
          WindowSpec.of("24h", Duration.ofHours(24), Duration.ofMinutes(30)),
          WindowSpec.of("7d", Duration.ofDays(7), Duration.ofHours(3)));

  private static final List<String> CTR_WINDOWS = List.of("1h", "24h");
  private static final int MAX_CATEGORIES = 256;
  private static final double DWELL_EMA_ALPHA = 0.2;
  private static final int MAX_DEVICES = 16;

  public static UserEntity.Settings from(Config config) {
    Config c = config.getConfig("pulse.user");
    Config backoff = c.getConfig("persist-failure-backoff");
    return new UserEntity.Settings(
        features(c),
        c.getInt("snapshot-every"),
        c.getInt("keep-snapshots"),
        new UserEntity.PersistFailureBackoff(
            backoff.getDuration("min"),
            backoff.getDuration("max"),
            backoff.getDouble("random-factor")),
        OutboxTags.from(config));
  }

  /** The features' settings from a {@code pulse.user} block. */
  static FeatureSettings features(Config c) {
    return new FeatureSettings(
        c.getInt("sequence-length"),
        SEQUENCE_TYPES,
        WINDOWS,
        CTR_WINDOWS,
        c.getDuration("allowed-lateness"),
        c.getDuration("affinity-short-half-life"),
        c.getDuration("affinity-long-half-life"),
        EventWeights.read(c, "affinity-weights"),
        MAX_CATEGORIES,
        c.getInt("top-categories"),
        c.getDuration("session-gap"),
        DWELL_EMA_ALPHA,
        MAX_DEVICES,
        c.getInt("dedup-max-ids"),
        c.getDuration("dedup-max-age"));
  }

  public static Duration askTimeout(Config config) {
    return config.getDuration("pulse.user.ask-timeout");
  }
}
