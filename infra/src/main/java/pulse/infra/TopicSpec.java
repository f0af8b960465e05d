package pulse.infra;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Kafka topic Pulse needs, as declared in {@code pulse.kafka.topics} (infra's
 * pulse/infra/kafka.conf).
 */
public record TopicSpec(
    String name, int partitions, short replicationFactor, Map<String, String> config) {

  static TopicSpec from(Config c) {
    Map<String, String> cfg = new TreeMap<>();
    if (c.hasPath("config")) {
      c.getConfig("config")
          .entrySet()
          .forEach(
              e -> cfg.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped())));
    }
    return new TopicSpec(
        c.getString("name"), c.getInt("partitions"), (short) c.getInt("replication-factor"), cfg);
  }
}
