package pulse.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the topics named in {@code conf/kafka.conf} that do not exist yet; existing ones are left alone. */
public final class Topics {
  private Topics() {}

  /** Returns the names it created. */
  public static List<String> ensure(String bootstrapServers, List<TopicSpec> topics) {
    Duration timeout = Duration.ofSeconds(15);
    try (Admin admin = Admin.create(KafkaServer.adminProperties(bootstrapServers, timeout))) {
      Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TopicSpec t : topics) {
        if (!existing.contains(t.name())) {
          missing.add(new NewTopic(t.name(), t.partitions(), t.replicationFactor()).configs(t.config()));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      return missing.stream().map(NewTopic::name).toList();
    } catch (Exception e) {
      throw new InfraException("cannot create Kafka topics on " + bootstrapServers + ": " + rootMessage(e), null, e);
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
