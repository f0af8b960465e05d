package pulse.bench;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import pulse.engine.feedback.FeedbackWire;

/**
 * Reads a feedback topic from its start and counts the distinct events of the users {@code
 * measured} accepts, until {@code expected} are there or nothing new came for {@code quiet}: what
 * the outbox published of a bench's events. Repeats (at-least-once delivery) are counted apart.
 */
final class FeedbackCount {
  record Count(long distinct, long repeats, double seconds) {}

  private FeedbackCount() {}

  static Count await(
      String bootstrap,
      String topic,
      Predicate<String> measured,
      long expected,
      Duration quiet,
      IngestBench.Progress progress)
      throws Exception {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.CLIENT_ID_CONFIG,
            "bench-feedback-count",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            5000);
    Set<String> seen = new HashSet<>();
    long repeats = 0;
    long t0 = System.nanoTime();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long lastNew = System.nanoTime();
      while (seen.size() < expected && System.nanoTime() - lastNew < quiet.toNanos()) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          FeedbackWire w = FeedbackWire.parse(r.value());
          if (measured.test(w.userId())) {
            if (seen.add(w.eventId())) {
              lastNew = System.nanoTime();
            } else {
              repeats++;
            }
          }
        }
        progress.update(seen.size());
      }
    }
    return new Count(seen.size(), repeats, (System.nanoTime() - t0) / 1e9);
  }
}
