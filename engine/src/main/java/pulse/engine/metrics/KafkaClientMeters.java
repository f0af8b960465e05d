package pulse.engine.metrics;

import akka.kafka.ConsumerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import scala.Function1;

/**
 * The Kafka clients' own metrics (records lag per partition, fetch and request rates, ...) on the
 * node's registry, through Micrometer's Kafka binder: {@code kafka_consumer_*}, {@code
 * kafka_producer_*}, tagged with the client's id. A client is bound under a role (ingest, learner,
 * outbox, dlq); binding a new client of a role (a stream restarted after a failure) first unbinds
 * the last one, whose meters would otherwise read a closed client.
 */
public final class KafkaClientMeters {
  private static final Map<String, KafkaClientMetrics> BOUND = new ConcurrentHashMap<>();

  private KafkaClientMeters() {}

  /** Settings whose every consumer is bound to {@code registry} as {@code role}. */
  public static <K, V> ConsumerSettings<K, V> bind(
      ConsumerSettings<K, V> settings, MeterRegistry registry, String role) {
    Function1<ConsumerSettings<K, V>, Consumer<K, V>> create = settings.consumerFactory();
    return settings.withConsumerFactory(
        s -> {
          Consumer<K, V> consumer = create.apply(s);
          bind(new KafkaClientMetrics(consumer), registry, role);
          return consumer;
        });
  }

  /** Binds {@code producer} to {@code registry} as {@code role}, and returns it. */
  public static <K, V> Producer<K, V> bind(
      Producer<K, V> producer, MeterRegistry registry, String role) {
    bind(new KafkaClientMetrics(producer), registry, role);
    return producer;
  }

  private static void bind(KafkaClientMetrics metrics, MeterRegistry registry, String role) {
    // One registry per node, but tests start several nodes in one JVM: the role is per registry.
    String key = System.identityHashCode(registry) + "/" + role;
    KafkaClientMetrics previous = BOUND.put(key, metrics);
    if (previous != null) {
      previous.close();
    }
    metrics.bindTo(registry);
  }
}
