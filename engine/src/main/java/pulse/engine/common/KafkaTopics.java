package pulse.engine.common;

import com.typesafe.config.Config;

/**
 * The topics {@code pulse.kafka.topics} (infra's pulse/infra/kafka.conf) declares: the one place
 * their partitions are read.
 */
public final class KafkaTopics {
  private KafkaTopics() {}

  /** Partitions of {@code topic}; refuses a topic the config does not declare, naming it. */
  public static int partitions(Config config, String topic) {
    return config.getConfigList("pulse.kafka.topics").stream()
        .filter(t -> t.getString("name").equals(topic))
        .mapToInt(t -> t.getInt("partitions"))
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("pulse.kafka.topics does not declare " + topic));
  }
}
