package pulse.engine.ingest;

import akka.Done;
import akka.actor.Address;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.typed.Cluster;
import akka.kafka.CommitterSettings;
import akka.kafka.ConsumerMessage;
import akka.kafka.ConsumerSettings;
import akka.kafka.ProducerSettings;
import akka.kafka.Subscriptions;
import akka.kafka.cluster.sharding.KafkaClusterSharding;
import akka.kafka.javadsl.Committer;
import akka.kafka.javadsl.Consumer;
import akka.kafka.javadsl.SendProducer;
import akka.stream.KillSwitches;
import akka.stream.RestartSettings;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.RestartSource;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import pulse.engine.event.UserEvent;
import pulse.engine.metrics.PulseMetrics;
import pulse.engine.user.UserEntity;

/**
 * Consumes {@code user-events}: each record is parsed and validated; good events are persisted by
 * their user actors, bad records go to {@code user-events-dlq} with the reason, and only then is
 * the batch's offset committed. A crash before the commit redelivers the batch, and the user actors
 * drop what they already have (same eventId), so every event counts once.
 *
 * <p>Bounded all the way: batches of at most {@code batch-size}, one in flight per partition, no
 * buffers beyond that; a failure (Cassandra down, a persist timing out) restarts the consumer with
 * backoff from the last committed offset.
 */
public final class KafkaIngest {
  public static final String ERROR_HEADER = "pulse-error";
  public static final String SOURCE_HEADER = "pulse-source";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicReference<Consumer.Control> control = new AtomicReference<>();
  private final EventIngest ingest;
  private final EventParser parser;
  private final SendProducer<String, byte[]> dlqProducer;
  private final String dlqTopic;
  private final PulseMetrics metrics;
  private final AtomicLong consumerStarts = new AtomicLong();
  private UniqueKillSwitch killSwitch;

  private KafkaIngest(
      EventIngest ingest,
      EventParser parser,
      SendProducer<String, byte[]> dlqProducer,
      String dlqTopic,
      PulseMetrics metrics) {
    this.metrics = metrics;
    this.ingest = ingest;
    this.parser = parser;
    this.dlqProducer = dlqProducer;
    this.dlqTopic = dlqTopic;
  }

  public static KafkaIngest start(ActorSystem<?> system, EventIngest ingest, Clock clock) {
    Config c = system.settings().config().getConfig("pulse.ingest.kafka");
    ProducerSettings<String, byte[]> producerSettings =
        ProducerSettings.create(system, new StringSerializer(), new ByteArraySerializer());
    KafkaIngest k =
        new KafkaIngest(
            ingest,
            new EventParser(clock),
            new SendProducer<>(producerSettings, system),
            c.getString("dlq-topic"),
            PulseMetrics.get(system));
    k.run(system, c);
    return k;
  }

  /** This node's cluster address as host:port, e.g. 127.0.0.1:2551. */
  private static String nodeHostPort(ActorSystem<?> system) {
    Address self = Cluster.get(system).selfMember().address();
    return self.getHost().orElse("local") + ":" + self.getPort().map(String::valueOf).orElse("0");
  }

  private void run(ActorSystem<?> system, Config c) {
    ConsumerSettings<String, byte[]> consumerSettings =
        ConsumerSettings.create(system, new StringDeserializer(), new ByteArrayDeserializer())
            .withGroupId(c.getString("group-id"))
            // Names this node in the group's member list (kafka-consumer-groups, bin/pulse cluster
            // status): which partitions, hence which users' shards, it holds.
            .withClientId("pulse-ingest@" + nodeHostPort(system))
            .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
            .withProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, c.getString("max-poll-records"));
    // Tell sharding which partitions this node consumes, so the matching shards are allocated here.
    var subscription =
        Subscriptions.topics(c.getString("topic"))
            .withRebalanceListener(
                Adapter.toClassic(
                    KafkaClusterSharding.get(system).rebalanceListener(UserEntity.TYPE_KEY)));
    CommitterSettings committerSettings = CommitterSettings.create(system);
    int batchSize = c.getInt("batch-size");
    Duration batchWindow = c.getDuration("batch-window");
    int maxPartitions = c.getInt("max-partitions-per-node");
    RestartSettings restart =
        RestartSettings.create(
            c.getDuration("restart-min-backoff"), c.getDuration("restart-max-backoff"), 0.2);

    killSwitch =
        RestartSource.onFailuresWithBackoff(
                restart,
                () -> {
                  if (consumerStarts.getAndIncrement() > 0) {
                    metrics.consumerRestarted();
                  }
                  return Consumer.committablePartitionedSource(consumerSettings, subscription)
                      .mapMaterializedValue(
                          ctl -> {
                            control.set(ctl);
                            return ctl;
                          })
                      // One substream per assigned partition, one batch at a time within it: a
                      // user's events (one
                      // key, one partition) are persisted in the order they were produced;
                      // partitions run in parallel.
                      .flatMapMerge(
                          maxPartitions,
                          partition ->
                              partition
                                  .second()
                                  .groupedWithin(batchSize, batchWindow)
                                  .mapAsync(1, this::process)
                                  .via(Committer.batchFlow(committerSettings)));
                })
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.ignore(), Keep.left())
            .run(system);

    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseServiceStop(),
            "stop-kafka-ingest",
            () -> {
              killSwitch.shutdown();
              Consumer.Control ctl = control.get();
              CompletionStage<Done> stopped =
                  ctl == null
                      ? CompletableFuture.completedFuture(Done.getInstance())
                      : ctl.shutdown();
              return stopped
                  .exceptionally(e -> Done.getInstance())
                  .thenCompose(d -> dlqProducer.close())
                  .exceptionally(e -> Done.getInstance());
            });
  }

  /**
   * One batch: dead-letter the bad, persist the good; completes with the offsets once both are
   * done.
   */
  private CompletionStage<ConsumerMessage.CommittableOffsetBatch> process(
      List<ConsumerMessage.CommittableMessage<String, byte[]>> batch) {
    List<UserEvent> valid = new ArrayList<>(batch.size());
    List<CompletableFuture<?>> deadLetters = new ArrayList<>();
    for (ConsumerMessage.CommittableMessage<String, byte[]> m : batch) {
      ConsumerRecord<String, byte[]> r = m.record();
      ParseResult<UserEvent> parsed = parser.parse(r.value() == null ? new byte[0] : r.value());
      if (parsed instanceof ParseResult.Valid<UserEvent> v) {
        valid.add(v.value());
      } else if (parsed instanceof ParseResult.Invalid<UserEvent> inv) {
        deadLetters.add(deadLetter(r, inv.errors()));
      }
    }
    List<ConsumerMessage.CommittableOffset> offsets =
        batch.stream().map(ConsumerMessage.CommittableMessage::committableOffset).toList();
    CompletableFuture<Void> dlq =
        CompletableFuture.allOf(deadLetters.toArray(CompletableFuture[]::new));
    CompletableFuture<List<EventIngest.UserOutcome>> persistedAll =
        valid.isEmpty()
            ? CompletableFuture.completedFuture(List.of())
            : ingest.ingest(valid).toCompletableFuture();
    return dlq.thenCombine(
        persistedAll,
        (v, outcomes) -> {
          for (EventIngest.UserOutcome o : outcomes) {
            if (!o.persisted()) {
              metrics.ingestBatchFailed();
              // Nothing of this batch is committed; the restarted consumer reads it again.
              throw new IllegalStateException(
                  "events of user " + o.userId() + " not persisted: " + o.failure());
            }
          }
          outcomes.forEach(o -> metrics.eventsIngested(PulseMetrics.SOURCE_KAFKA, o.accepted()));
          return ConsumerMessage.createCommittableOffsetBatch(offsets);
        });
  }

  private CompletableFuture<?> deadLetter(
      ConsumerRecord<String, byte[]> r, List<FieldError> errors) {
    ProducerRecord<String, byte[]> dead = new ProducerRecord<>(dlqTopic, r.key(), r.value());
    dead.headers().add(ERROR_HEADER, errorsJson(errors).getBytes(StandardCharsets.UTF_8));
    dead.headers()
        .add(
            SOURCE_HEADER,
            (r.topic() + "/" + r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
    metrics.deadLettered();
    return dlqProducer.send(dead).toCompletableFuture();
  }

  static String errorsJson(List<FieldError> errors) {
    try {
      return JSON.writeValueAsString(errors);
    } catch (Exception e) {
      return String.valueOf(errors);
    }
  }
}
