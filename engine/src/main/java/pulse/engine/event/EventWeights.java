package pulse.engine.event;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.EnumMap;
import java.util.Map;

/**
 * A table of how much one event of a type weighs, keyed by the types' wire names, as config holds
 * it. The engine's reference.conf ships one ({@code pulse.event-weights}, in
 * pulse/engine/event-weights.conf); trending scores and category affinities default to it.
 */
public final class EventWeights {
  private EventWeights() {}

  /**
   * The table at {@code path}: every type it lists with its weight; a type left out is absent.
   * Refuses a key that is not an event type, which would otherwise silently weigh nothing.
   */
  public static Map<EventType, Double> read(Config config, String path) {
    Config table = config.getConfig(path);
    Map<EventType, Double> weights = new EnumMap<>(EventType.class);
    for (String key : table.root().keySet()) {
      EventType type =
          EventType.fromWireName(key)
              .orElseThrow(
                  () ->
                      new ConfigException.BadValue(
                          table.origin(), path + "." + key, "not an event type"));
      weights.put(type, table.getDouble(key));
    }
    return weights;
  }

  /** {@code pulse.event-weights} as the engine's reference.conf ships it. */
  public static Map<EventType, Double> shipped() {
    return read(ConfigFactory.defaultReference(), "pulse.event-weights");
  }
}
