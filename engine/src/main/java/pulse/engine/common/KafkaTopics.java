package pulse.engine.common;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import pulse.infra.credentials.KafkaSecurity;

/**
 * The topics {@code pulse.kafka.topics} (infra's pulse/infra/kafka.conf) declares, and what the
 * broker says of them: the one place their partitions are read.
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

  /**
   * Partitions of {@code topic} on the broker; empty when the broker does not answer within {@code
   * timeout} or has no such topic.
   */
  public static OptionalInt partitionsOnBroker(Config config, String topic, Duration timeout) {
    Map<String, Object> props = new HashMap<>(KafkaSecurity.from(config).clientProperties());
    props.putAll(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            config.getString("pulse.kafka.bootstrap-servers"),
            AdminClientConfig.CLIENT_ID_CONFIG,
            "pulse-topic-check",
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) timeout.toMillis()));
    try (Admin admin = Admin.create(props)) {
      TopicDescription d =
          admin
              .describeTopics(List.of(topic))
              .all()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic);
      return d == null ? OptionalInt.empty() : OptionalInt.of(d.partitions().size());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    } catch (Exception unreachableOrMissing) {
      return OptionalInt.empty();
    }
  }

  /**
   * How many shards the users of {@code topic} get: one per partition, as the broker has them. A
   * config that declares another count is refused, because an event's shard must be its partition
   * or a node would persist events of users another node hosts. Without the broker's answer, the
   * configured count.
   */
  public static int shardCount(String topic, int configured, OptionalInt onBroker) {
    if (onBroker.isPresent() && onBroker.getAsInt() != configured) {
      throw new IllegalStateException(
          topic
              + " has "
              + onBroker.getAsInt()
              + " partitions on the broker but pulse.kafka.topics declares "
              + configured
              + ": user shards are the topic's partitions, so the two must agree (declare "
              + onBroker.getAsInt()
              + ", or grow the topic to "
              + configured
              + " with bin/pulse infra start)");
    }
    return configured;
  }
}
