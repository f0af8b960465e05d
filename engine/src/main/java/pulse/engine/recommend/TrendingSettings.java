package pulse.engine.recommend;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import pulse.engine.event.EventType;

/**
 * {@code pulse.recommend.trending} in conf/model.conf.
 *
 * @param halfLife how long until an event counts half as much
 * @param maxItems items tracked; beyond it the lowest-scoring one is forgotten
 * @param weights what one event of a type adds to its item's score; a type not listed adds nothing
 *     (and is stored as 0, so two settings that weigh alike are equal)
 */
public record TrendingSettings(Duration halfLife, int maxItems, Map<EventType, Double> weights) {

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

  /** The values conf/model.conf ships with. */
  public static TrendingSettings defaults() {
    Map<EventType, Double> w = new EnumMap<>(EventType.class);
    w.put(EventType.VIEW, 1.0);
    w.put(EventType.CLICK, 2.0);
    w.put(EventType.ADD_TO_CART, 3.0);
    w.put(EventType.PURCHASE, 5.0);
    w.put(EventType.RATING, 2.0);
    return new TrendingSettings(Duration.ofHours(1), 50_000, w);
  }

  public static TrendingSettings fromConfig(Config config) {
    Config c = config.getConfig("pulse.recommend.trending");
    Config weightConfig = c.getConfig("weights");
    Map<EventType, Double> weights = new EnumMap<>(EventType.class);
    for (String key : weightConfig.root().keySet()) {
      // A misspelt type would otherwise silently weigh 0.
      EventType type =
          EventType.fromWireName(key)
              .orElseThrow(
                  () ->
                      new ConfigException.BadValue(
                          weightConfig.origin(),
                          "pulse.recommend.trending.weights." + key,
                          "not an event type"));
      weights.put(type, weightConfig.getDouble(key));
    }
    return new TrendingSettings(c.getDuration("half-life"), c.getInt("max-items"), weights);
  }

  public double weight(EventType type) {
    return weights.get(type);
  }
}
