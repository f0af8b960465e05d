package pulse.engine.recommend;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import pulse.engine.event.EventType;
import pulse.engine.event.EventWeights;

/**
 * {@code pulse.recommend.trending} (defaults in the engine's pulse/engine/recommend.conf).
 *
 * @param halfLife how long until an event counts half as much
 * @param maxItems items tracked; beyond it the lowest-scoring one is forgotten
 * @param weights what one event of a type adds to its item's score; a type not listed adds nothing
 *     (and is stored as 0, so two settings that weigh alike are equal)
 * @param sharing how this node's trending items reach the other nodes
 */
public record TrendingSettings(
    Duration halfLife, int maxItems, Map<EventType, Double> weights, Sharing sharing) {

  /**
   * What {@link ClusterTrending} publishes, how often, and for how long it is kept.
   *
   * @param items the best items of this node's share
   * @param perCategory each category's best items added to the share (0: none beyond {@code items})
   * @param publishInterval how often a changed share is published
   * @param seedTimeout how long a starting node waits for a majority's copy of its predecessor's
   *     share before it settles for its own replica's
   * @param dropAfter a node's share not published for this long is removed from the cluster's map
   */
  public record Sharing(
      int items,
      int perCategory,
      Duration publishInterval,
      Duration seedTimeout,
      Duration dropAfter) {

    public Sharing {
      if (items < 1
          || perCategory < 0
          || publishInterval.toMillis() <= 0
          || seedTimeout.toMillis() <= 0
          || dropAfter.toMillis() <= 0) {
        throw new IllegalArgumentException(
            "pulse.recommend.trending: share-items, publish-interval, seed-timeout and"
                + " drop-node-after must be positive and share-per-category not negative, got "
                + List.of(items, perCategory, publishInterval, seedTimeout, dropAfter));
      }
    }
  }

  public TrendingSettings {
    Map<EventType, Double> every = new EnumMap<>(EventType.class);
    for (EventType t : EventType.values()) {
      every.put(t, weights.getOrDefault(t, 0.0));
    }
    weights = Map.copyOf(every);
    if (halfLife.toMillis() <= 0 || maxItems < 1) {
      throw new IllegalArgumentException(
          "pulse.recommend.trending: half-life and max-items must be positive, got "
              + halfLife
              + " and "
              + maxItems);
    }
    weights.forEach(
        (type, w) -> {
          if (!Double.isFinite(w) || w < 0) {
            throw new IllegalArgumentException(
                "pulse.recommend.trending: weight of "
                    + type.wireName()
                    + " must be finite and non-negative, got "
                    + w);
          }
        });
  }

  /** The values the engine's reference.conf ships with. */
  public static TrendingSettings defaults() {
    return fromConfig(ConfigFactory.defaultReference());
  }

  public static TrendingSettings fromConfig(Config config) {
    Config c = config.getConfig("pulse.recommend.trending");
    return new TrendingSettings(
        c.getDuration("half-life"),
        c.getInt("max-items"),
        EventWeights.read(config, "pulse.recommend.trending.weights"),
        new Sharing(
            c.getInt("share-items"),
            c.getInt("share-per-category"),
            c.getDuration("publish-interval"),
            c.getDuration("seed-timeout"),
            c.getDuration("drop-node-after")));
  }

  public double weight(EventType type) {
    return weights.get(type);
  }
}
