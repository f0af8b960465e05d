package pulse.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import pulse.infra.credentials.KafkaSecurity;

/**
 * Creates the topics declared in {@code pulse.kafka.topics} that do not exist yet, and grows an
 * existing one that has fewer partitions than declared (the user actors' shards follow the declared
 * count). Kafka cannot shrink a topic: one with more partitions than declared is an error to fix in
 * conf/.
 */
public final class Topics {
  private Topics() {}

  /** Returns what it created or grew. */
  public static List<String> ensure(String bootstrapServers, List<TopicSpec> topics) {
    return ensure(bootstrapServers, KafkaSecurity.NONE, topics);
  }

  /** As {@link #ensure(String, List)}, logging in as {@code security} says. */
  public static List<String> ensure(
      String bootstrapServers, KafkaSecurity security, List<TopicSpec> topics) {
    Duration timeout = Duration.ofSeconds(15);
    try (Admin admin =
        Admin.create(security.addTo(KafkaServer.adminProperties(bootstrapServers, timeout)))) {
      Set<String> existing =
          admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TopicSpec t : topics) {
        if (!existing.contains(t.name())) {
          missing.add(
              new NewTopic(t.name(), t.partitions(), t.replicationFactor()).configs(t.config()));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      List<String> changed = new ArrayList<>(missing.stream().map(NewTopic::name).toList());
      List<TopicSpec> present = topics.stream().filter(t -> existing.contains(t.name())).toList();
      if (!present.isEmpty()) {
        var descriptions =
            admin
                .describeTopics(present.stream().map(TopicSpec::name).toList())
                .all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        for (TopicSpec t : present) {
          int actual = descriptions.get(t.name()).partitions().size();
          if (actual < t.partitions()) {
            admin
                .createPartitions(Map.of(t.name(), NewPartitions.increaseTo(t.partitions())))
                .all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            changed.add(
                t.name() + " (grown from " + actual + " to " + t.partitions() + " partitions)");
          } else if (actual > t.partitions()) {
            throw new InfraException(
                "topic "
                    + t.name()
                    + " has "
                    + actual
                    + " partitions but pulse.kafka.topics declares "
                    + t.partitions()
                    + "; Kafka cannot shrink a topic: declare "
                    + actual
                    + " or recreate it");
          }
        }
      }
      return changed;
    } catch (Exception e) {
      throw new InfraException(
          "cannot create Kafka topics on " + bootstrapServers + ": " + rootMessage(e), null, e);
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
