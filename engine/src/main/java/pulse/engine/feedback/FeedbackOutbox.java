package pulse.engine.feedback;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.ShardedDaemonProcessSettings;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.kafka.ProducerSettings;
import akka.persistence.cassandra.query.javadsl.CassandraReadJournal;
import akka.persistence.query.Offset;
import akka.projection.ProjectionBehavior;
import akka.projection.ProjectionId;
import akka.projection.cassandra.javadsl.CassandraProjection;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.eventsourced.javadsl.EventSourcedProvider;
import akka.projection.javadsl.GroupedProjection;
import akka.projection.javadsl.Handler;
import akka.projection.javadsl.SourceProvider;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import pulse.engine.event.OutboxTags;
import pulse.engine.event.RecordedEvent;
import pulse.engine.metrics.KafkaClientMeters;
import pulse.engine.metrics.PulseMetrics;
import pulse.infra.credentials.KafkaSecurity;

/**
 * Publishes every persisted user event to the feedback topic from the journal itself: user actors
 * file their persisted events under one of {@link OutboxTags}' tags, and one projection per tag
 * (spread over the cluster's nodes by a Sharded Daemon Process) reads them back in order and sends
 * them, keeping its offset in Cassandra after Kafka acknowledged a group. So an acknowledged event
 * reaches the topic whatever happens after its journal write: a node killed before it sent, a
 * broker down for minutes (the projection waits and retries with backoff; the journal is the
 * buffer, bounded by the disk, and ingest never waits for Kafka). Delivery is at least once: a
 * group sent but not yet marked is sent again after a restart, and the learner drops the repeats by
 * eventId.
 *
 * <p>A user's events reach the topic in the order they were persisted (one tag per user, one
 * projection per tag, each group sent in order by one thread before the next is read), which is the
 * order the learner turns them into examples.
 *
 * @param <E> the user actors' journal event type; {@code recorded} says which events it holds
 */
public final class FeedbackOutbox<E> {
  /** The name of the projections (one per tag) and of their daemon process. */
  public static final String NAME = "feedback-outbox";

  /**
   * @param groupSize most journal entries per group (one Kafka round trip, one offset write)
   * @param groupWindow a group is also cut this long after its first entry
   */
  public record Settings(
      OutboxTags tags,
      String topic,
      int groupSize,
      Duration groupWindow,
      Duration minBackoff,
      Duration maxBackoff,
      double randomFactor,
      Duration deliveryTimeout) {}

  /** {@code pulse.feedback.outbox}, publishing to {@code topic}. */
  public static Settings settings(Config config, String topic) {
    Config c = config.getConfig("pulse.feedback.outbox");
    return new Settings(
        OutboxTags.from(config),
        topic,
        c.getInt("group-size"),
        c.getDuration("group-window"),
        c.getDuration("restart-backoff.min"),
        c.getDuration("restart-backoff.max"),
        c.getDouble("restart-backoff.random-factor"),
        c.getDuration("delivery-timeout"));
  }

  private final Settings settings;
  private final Function<E, List<RecordedEvent>> recorded;
  private final OutboxMetrics metrics;
  private final Producer<String, byte[]> producer;

  /**
   * One thread sends every group of this node's projections, in order: the Kafka producer's send
   * blocks while the broker is unknown (max.block.ms), which must not hold an Akka dispatcher.
   */
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "pulse-feedback-outbox");
            t.setDaemon(true);
            return t;
          });

  private FeedbackOutbox(
      ActorSystem<?> system,
      Settings settings,
      Function<E, List<RecordedEvent>> recorded,
      OutboxMetrics metrics) {
    this.settings = settings;
    this.recorded = recorded;
    this.metrics = metrics;
    this.producer =
        KafkaClientMeters.bind(
            producer(system, settings), PulseMetrics.get(system).registry(), "outbox");
  }

  private static Producer<String, byte[]> producer(ActorSystem<?> system, Settings settings) {
    long delivery = settings.deliveryTimeout().toMillis();
    return ProducerSettings.create(system, new StringSerializer(), new ByteArraySerializer())
        // A group fails (and is retried from the journal) within the delivery timeout rather
        // than Kafka's two minutes, so the outbox's state shows in its metrics soon.
        .withProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(delivery))
        .withProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(delivery / 2))
        .withProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(delivery / 2))
        // A retried batch must not land behind a later one (a user's events out of order):
        // kafka-clients 3.0 does not turn idempotence on by itself.
        .withProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
        .withProperty(ProducerConfig.ACKS_CONFIG, "all")
        .withProperties(KafkaSecurity.from(system.settings().config()).clientProperties())
        .createKafkaProducer();
  }

  /**
   * Starts this node's share of the outbox's projections (none when {@code settings.tags()} has
   * none). {@code recorded}: the user events a journal event holds (empty for other events).
   */
  public static <E> void start(
      ActorSystem<?> system,
      Settings settings,
      Function<E, List<RecordedEvent>> recorded,
      OutboxMetrics metrics) {
    if (settings.tags().count() == 0) {
      return;
    }
    FeedbackOutbox<E> outbox = new FeedbackOutbox<>(system, settings, recorded, metrics);
    system.getWhenTerminated().thenRun(outbox::close);
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            NAME,
            settings.tags().count(),
            i -> ProjectionBehavior.create(outbox.projection(system, i)),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
  }

  private GroupedProjection<Offset, EventEnvelope<E>> projection(ActorSystem<?> system, int index) {
    String tag = settings.tags().tag(index);
    SourceProvider<Offset, EventEnvelope<E>> source =
        EventSourcedProvider.eventsByTag(system, CassandraReadJournal.Identifier(), tag);
    return CassandraProjection.groupedWithin(ProjectionId.of(NAME, tag), source, Publish::new)
        .withGroup(settings.groupSize(), settings.groupWindow())
        .withRestartBackoff(settings.minBackoff(), settings.maxBackoff(), settings.randomFactor());
  }

  /** One projection's handler: sends a group, completes when Kafka acknowledged all of it. */
  private final class Publish extends Handler<List<EventEnvelope<E>>> {
    @Override
    public CompletionStage<Done> process(List<EventEnvelope<E>> envelopes) {
      List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
      long newestPersisted = 0;
      for (EventEnvelope<E> envelope : envelopes) {
        newestPersisted = Math.max(newestPersisted, envelope.timestamp());
        for (RecordedEvent in : recorded.apply(envelope.event())) {
          records.add(
              new ProducerRecord<>(
                  settings.topic(),
                  in.event().userId(),
                  FeedbackWire.of(in, envelope.timestamp()).toBytesUnchecked()));
        }
      }
      long persisted = newestPersisted;
      return CompletableFuture.supplyAsync(() -> sendAll(records), sender)
          .thenCompose(acks -> CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)))
          .handle(
              (done, failure) -> {
                if (failure != null) {
                  metrics.failed(records.size());
                  throw new IllegalStateException(
                      "feedback not published (retried from the journal): " + failure, failure);
                }
                metrics.published(records.size(), persisted);
                return Done.getInstance();
              });
    }
  }

  /**
   * Sends in order and stops at the first send that fails at once (say the topic's metadata did not
   * come within max.block.ms): sending the records after it would put a user's later events on the
   * topic before the one that is sent again with the whole group after the restart.
   */
  private List<CompletableFuture<Void>> sendAll(List<ProducerRecord<String, byte[]>> records) {
    List<CompletableFuture<Void>> acks = new ArrayList<>(records.size());
    for (ProducerRecord<String, byte[]> record : records) {
      CompletableFuture<Void> ack = new CompletableFuture<>();
      try {
        producer.send(
            record,
            (meta, failure) -> {
              if (failure == null) {
                ack.complete(null);
              } else {
                ack.completeExceptionally(failure);
              }
            });
      } catch (RuntimeException e) {
        ack.completeExceptionally(e);
      }
      acks.add(ack);
      if (ack.isCompletedExceptionally()) {
        break; // the producer reports a metadata timeout through the callback, within send
      }
    }
    return acks;
  }

  private void close() {
    sender.shutdown();
    try {
      sender.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
