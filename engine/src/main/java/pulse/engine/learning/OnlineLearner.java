package pulse.engine.learning;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.pubsub.Topic;
import akka.pattern.StatusReply;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import pulse.engine.common.CborSerializable;
import pulse.engine.common.Failures;
import pulse.engine.feedback.FeedRecord;
import pulse.engine.feedback.FeedbackEvent;
import pulse.engine.feedback.FeedbackReader;
import pulse.engine.inference.ModelRepository;
import pulse.engine.learning.LearnerCore.NewVersion;
import pulse.engine.learning.LearnerCore.Rejected;
import pulse.engine.versions.ModelUpdate;
import pulse.engine.versions.ModelVersionStore;
import pulse.engine.versions.VersionKind;
import pulse.engine.versions.VersionLoader;
import pulse.engine.versions.VersionMeta;
import pulse.engine.versions.VersionName;
import pulse.engine.versions.VersionPruning;
import pulse.engine.versions.VersionRecord;
import pulse.engine.versions.VersionStatus;
import pulse.model.Device;
import pulse.model.delta.Checkpoint;
import pulse.model.export.ModelDirectory;

/**
 * The online learner: one per cluster (a Cluster Singleton), on its own thread. It reads the
 * feedback topic from the offsets stored with the version it starts from, so a restart (or a move
 * to another node) neither loses nor repeats an example: a step's offsets are stored in Cassandra
 * together with the version it made, in one row written after the version's bytes. Each step
 * becomes a version: stored (as a delta, or whole every {@code checkpoint-every} versions), then
 * published to every node.
 *
 * <p>When the guardrail refuses a version (NaN/Inf in the update, or the prequential NDCG@10 fell
 * more than the margin below the last checkpoint's), the learner marks the versions after the last
 * good checkpoint rolled back, tells every node to serve that checkpoint, reloads it itself and
 * pauses, saying why in the log, in {@code GET /v1/model} and in {@code /metrics}.
 *
 * <p>The learner watches its feedback stream: one that ends without being stopped (a failure, a
 * broker that does not name the topic's partitions) is started again after a backoff, from the
 * offsets the learner has learned up to, and until it reads again {@code GET /v1/model} says {@code
 * learning: false} and why ({@code streamDown}).
 *
 * <p>Histories live in memory only, so a user the learner does not know (after a restart, a move, a
 * rollback, an eviction) has the history rebuilt from the user entity's recent interactions before
 * the batch is learned, cut before the event being learned ({@link HistoryRebuild}); a failed ask
 * leaves the user without history, counted in {@code /metrics}.
 */
public final class OnlineLearner {
  /**
   * Made-up examples of the start-up warm-up step: about one mini-batch at a few hundred events/s.
   */
  private static final int WARM_UP_BATCH = 32;

  private OnlineLearner() {}

  public sealed interface Command extends CborSerializable {}

  /**
   * A mini-batch from the feedback stream; replied to once learned from (the stream's
   * backpressure).
   */
  record Feed(List<FeedRecord> records, long stream, ActorRef<Done> replyTo) implements Command {}

  public record Pause(ActorRef<StatusReply<String>> replyTo) implements Command {}

  public record Resume(ActorRef<StatusReply<String>> replyTo) implements Command {}

  public record Rollback(String version, ActorRef<StatusReply<String>> replyTo)
      implements Command {}

  public record GetState(ActorRef<State> replyTo) implements Command {}

  /**
   * Reserve the next sequence number for a version stored beside the learner's own (a canary
   * candidate, {@link pulse.engine.versions.Candidates}): the learner owns the numbering, so the
   * two never collide. Replies with the number.
   */
  public record ReserveSeq(ActorRef<StatusReply<Long>> replyTo) implements Command {}

  /**
   * A user was forgotten (DELETE /v1/users/{id}): the learner drops what it holds of them. No
   * reply: a learner that is starting holds nobody yet.
   */
  public record ForgetUser(String userId) implements Command {}

  /** A node reports the version its pool serves now. */
  public record NodeServes(String node, String version, long atMillis) implements Command {}

  /**
   * What {@code GET /v1/model} shows of the learner. {@code window}: prequential figures over the
   * rolling window; {@code cumulative}: over every example scored since the learner started; {@code
   * examples}: examples made. {@code learning}: the feedback stream reads; {@code streamDown}: why
   * it does not while not paused (starting, or down and waiting to be started again), else null.
   */
  public record State(
      String version,
      long seq,
      String mode,
      boolean learning,
      String pausedBecause,
      String streamDown,
      WindowMetrics window,
      WindowMetrics cumulative,
      long examples,
      Map<String, String> nodes,
      List<Long> updateLatencyMillis)
      implements CborSerializable {}

  private record Started(Optional<LearnerCore> core, Throwable failure) implements Command {}

  private record Retry() implements Command {}

  /**
   * The broker named the feedback topic's partitions: stream {@code stream} reads ({@code failure}
   * null), or it did not (the stream fails too, and its {@link StreamEnded} restarts it).
   */
  private record StreamUp(long stream, Map<Integer, Long> startOffsets, Throwable failure)
      implements Command {}

  /** Stream {@code stream} ended ({@code failure} null: it completed). */
  private record StreamEnded(long stream, Throwable failure) implements Command {}

  private record RestartStream(long stream) implements Command {}

  /**
   * The histories rebuilt for a batch's unknown users (userId -> items before its first event in
   * the batch); {@code failures}: users whose ask failed, {@code firstFailure} one of them.
   */
  private record HistoriesRebuilt(
      Feed feed, Map<String, List<String>> histories, int failures, String firstFailure)
      implements Command {}

  private static final String RESTART_TIMER = "restart-feedback-stream";

  public static Behavior<Command> create(
      LearnerSettings settings,
      ModelVersionStore store,
      Path modelDir,
      ActorRef<Topic.Command<ModelUpdate>> topic,
      LearnerMetrics metrics,
      RecoverySettings recovery,
      UserHistories histories,
      Supplier<Set<String>> experimentPins) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  ctx.getSelf().tell(new Retry());
                  return new Learner(
                          ctx,
                          settings,
                          store,
                          modelDir,
                          topic,
                          metrics,
                          recovery,
                          histories,
                          experimentPins,
                          timers)
                      .waiting();
                }));
  }

  private static final class Learner {
    private final ActorContext<Command> ctx;
    private final LearnerSettings settings;
    private final ModelVersionStore store;
    private final Path modelDir;
    private final ActorRef<Topic.Command<ModelUpdate>> topic;
    private final LearnerMetrics metrics;
    private final RecoverySettings recovery;
    private final UserHistories histories;
    // The versions running experiments pin (frozen variants, canaries): never pruned.
    private final Supplier<Set<String>> experimentPins;
    private final StreamBackoff backoff;
    private final TimerScheduler<Command> timers;
    private LearnerCore core;
    private FeedbackReader.Running stream;
    // Numbers each started stream: what a stopped or replaced stream still sends is told apart.
    private long streamNumber;
    private boolean streamUp;
    // Why the stream does not read while not paused (starting, or down until restarted); else null.
    private String streamDown;
    private String pausedBecause;
    private final Map<String, String> nodes = new LinkedHashMap<>();
    // Versions not yet served by every node: version -> {seq, oldest event accepted at}
    private final Map<String, long[]> pendingLatency = new LinkedHashMap<>();
    private final List<Long> latencies = new ArrayList<>();

    Learner(
        ActorContext<Command> ctx,
        LearnerSettings settings,
        ModelVersionStore store,
        Path modelDir,
        ActorRef<Topic.Command<ModelUpdate>> topic,
        LearnerMetrics metrics,
        RecoverySettings recovery,
        UserHistories histories,
        Supplier<Set<String>> experimentPins,
        TimerScheduler<Command> timers) {
      this.ctx = ctx;
      this.recovery = recovery;
      this.histories = histories;
      this.experimentPins = experimentPins;
      this.backoff =
          new StreamBackoff(
              recovery.restartMinBackoff(),
              recovery.restartMaxBackoff(),
              recovery.restartRandomFactor(),
              new Random());
      this.settings = settings;
      this.store = store;
      this.modelDir = modelDir;
      this.topic = topic;
      this.metrics = metrics;
      this.timers = timers;
    }

    /**
     * Until a model is there to learn on: from the store, else the newest exported one in the model
     * folder.
     */
    Behavior<Command> waiting() {
      return Behaviors.receive(Command.class)
          .onMessage(
              Retry.class,
              r -> {
                // The learner runs on its own dispatcher, so loading here blocks no one else.
                try {
                  Optional<LearnerCore> loaded = start();
                  ctx.getSelf().tell(new Started(loaded, null));
                } catch (Exception e) {
                  ctx.getSelf().tell(new Started(Optional.empty(), e));
                }
                return Behaviors.same();
              })
          .onMessage(
              Started.class,
              s -> {
                if (s.core().isEmpty()) {
                  if (s.failure() != null) {
                    ctx.getLog()
                        .warn("online learner cannot start yet: {}", s.failure().toString());
                  }
                  timers.startSingleTimer(new Retry(), Duration.ofSeconds(10));
                  return Behaviors.same();
                }
                core = s.core().get();
                ctx.getLog()
                    .info(
                        "online learner ({}) starts from model {} (seq {}), feedback offsets {}",
                        settings.mode(),
                        core.version(),
                        core.seq(),
                        core.offsets());
                startStream();
                return learning();
              })
          .onMessage(
              GetState.class,
              g -> {
                g.replyTo()
                    .tell(
                        new State(
                            null,
                            0,
                            settings.mode(),
                            false,
                            "no model to learn on yet",
                            null,
                            WindowMetrics.EMPTY,
                            WindowMetrics.EMPTY,
                            0,
                            Map.copyOf(nodes),
                            List.of()));
                return Behaviors.same();
              })
          .onMessage(
              NodeServes.class,
              n -> {
                nodes.put(n.node(), n.version());
                return Behaviors.same();
              })
          .onMessage(
              Feed.class,
              f -> {
                f.replyTo().tell(Done.getInstance());
                return Behaviors.same();
              })
          .onMessage(Pause.class, p -> refuse(p.replyTo()))
          .onMessage(Resume.class, p -> refuse(p.replyTo()))
          .onMessage(Rollback.class, p -> refuse(p.replyTo()))
          .onMessage(
              ReserveSeq.class,
              p -> {
                p.replyTo().tell(StatusReply.error("the learner is starting; try again"));
                return Behaviors.same();
              })
          .build();
    }

    private Behavior<Command> refuse(ActorRef<StatusReply<String>> replyTo) {
      replyTo.tell(StatusReply.error("the online learner has no model yet"));
      return Behaviors.same();
    }

    private Optional<LearnerCore> start() throws Exception {
      Optional<VersionLoader.Loaded> stored =
          VersionLoader.load(store, null, settings.sessionThreads(), Device.CPU);
      if (stored.isPresent()) {
        VersionLoader.Loaded l = stored.get();
        return Optional.of(
            warm(
                new LearnerCore(
                    settings,
                    l.model().model(),
                    l.model().items(),
                    l.head().version(),
                    l.head().seq(),
                    l.head().kafkaOffsets(),
                    l.head().seq())));
      }
      Optional<ModelRepository.Candidate> newest =
          new ModelRepository(modelDir).candidates().stream().findFirst();
      if (newest.isEmpty()) {
        throw new IllegalStateException("no model stored in Cassandra and none in " + modelDir);
      }
      ModelDirectory.Loaded m =
          ModelDirectory.load(newest.get().dir(), settings.sessionThreads(), Device.CPU);
      String version = m.manifest().modelVersion();
      // The base of every later delta: stored whole, so any node can load it from Cassandra.
      Map<Integer, Long> offsets = FeedbackReader.endOffsets(ctx.getSystem(), settings.feedback());
      VersionLoader.get(
          store.append(
              new VersionMeta(
                  1,
                  version,
                  version,
                  VersionKind.CHECKPOINT,
                  Instant.now(),
                  VersionStatus.GOOD,
                  Map.of(),
                  offsets),
              Checkpoint.toBytes(m.model(), m.items(), version)));
      topic.tell(
          Topic.publish(
              new ModelUpdate.ServeVersion(1, version, "first checkpoint of the online learner")));
      return Optional.of(
          warm(new LearnerCore(settings, m.model(), m.items(), version, 1, offsets, 1)));
    }

    private LearnerCore warm(LearnerCore core) {
      long t0 = System.nanoTime();
      core.warmUp(WARM_UP_BATCH);
      ctx.getLog().info("online learner warmed up in {} ms", (System.nanoTime() - t0) / 1_000_000);
      return core;
    }

    /** Starts reading from where the learner stands now (not from where it first started). */
    private void startStream() {
      timers.cancel(RESTART_TIMER);
      long number = ++streamNumber;
      stream =
          FeedbackReader.run(
              ctx.getSystem(),
              settings.feedback(),
              core.offsets(),
              batch ->
                  AskPattern.ask(
                      ctx.getSelf(),
                      (ActorRef<Done> r) -> new Feed(batch, number, r),
                      Duration.ofMinutes(2),
                      ctx.getSystem().scheduler()));
      streamUp = false;
      streamDown = "starting: waiting for the broker to name the feedback topic's partitions";
      ctx.pipeToSelf(stream.reading(), (start, failure) -> new StreamUp(number, start, failure));
      ctx.pipeToSelf(stream.done(), (done, failure) -> new StreamEnded(number, failure));
    }

    /** Stops the stream on purpose (pause, rollback, stop): nothing restarts it. */
    private void stopStream() {
      timers.cancel(RESTART_TIMER);
      if (stream != null) {
        stream.killSwitch().shutdown();
        stream = null;
      }
      streamNumber++;
      streamUp = false;
      streamDown = null;
      metrics.streamDown(false);
    }

    /** Learning: a stream is there and reads; paused or down otherwise. */
    private boolean reading() {
      return stream != null && streamUp;
    }

    private Behavior<Command> onStreamUp(StreamUp up) {
      if (up.failure() == null && up.stream() == streamNumber && stream != null) {
        streamUp = true;
        streamDown = null;
        metrics.streamDown(false);
        backoff.up(System.currentTimeMillis());
        ctx.getLog().info("feedback stream reads from offsets {}", up.startOffsets());
      }
      return Behaviors.same();
    }

    /**
     * A stream ended. One stopped on purpose is forgotten; one that ended on its own is started
     * again after the backoff, from the offsets learned up to then.
     */
    private Behavior<Command> onStreamEnded(StreamEnded ended) {
      if (ended.stream() != streamNumber || stream == null) {
        return Behaviors.same();
      }
      stream = null;
      streamUp = false;
      Duration wait = backoff.ended(System.currentTimeMillis());
      String why =
          ended.failure() == null
              ? "the feedback stream ended"
              : "the feedback stream failed: " + Failures.rootCause(ended.failure());
      streamDown = why + "; starting it again in " + wait.toMillis() + " ms";
      metrics.streamDown(true);
      ctx.getLog()
          .warn(
              "{} ({} in a row); starting it again in {} ms from offsets {}",
              why,
              backoff.failuresInARow(),
              wait.toMillis(),
              core.offsets());
      timers.startSingleTimer(RESTART_TIMER, new RestartStream(streamNumber), wait);
      return Behaviors.same();
    }

    private Behavior<Command> onRestartStream(RestartStream r) {
      if (r.stream() == streamNumber && stream == null && pausedBecause == null) {
        metrics.streamRestarted();
        startStream();
      }
      return Behaviors.same();
    }

    Behavior<Command> learning() {
      return Behaviors.receive(Command.class)
          .onMessage(Feed.class, this::onFeed)
          .onMessage(
              Pause.class,
              p -> {
                pause("paused by request");
                p.replyTo().tell(StatusReply.success("paused at " + core.version()));
                return Behaviors.same();
              })
          .onMessage(
              Resume.class,
              p -> {
                if (stream == null) {
                  pausedBecause = null;
                  metrics.paused(false);
                  startStream(); // also when down and waiting for a restart: at once
                }
                p.replyTo().tell(StatusReply.success("learning from " + core.version()));
                return Behaviors.same();
              })
          .onMessage(
              ReserveSeq.class,
              r -> {
                r.replyTo().tell(StatusReply.success(core.reserveSeq()));
                return Behaviors.same();
              })
          .onMessage(
              Rollback.class,
              r -> {
                try {
                  String to = rollbackTo(r.version(), "rollback requested to " + r.version());
                  r.replyTo().tell(StatusReply.success(to));
                } catch (Exception e) {
                  r.replyTo().tell(StatusReply.error(e.getMessage()));
                }
                return Behaviors.same();
              })
          .onMessage(
              GetState.class,
              g -> {
                g.replyTo()
                    .tell(
                        new State(
                            core.version(),
                            core.seq(),
                            settings.mode(),
                            reading(),
                            pausedBecause,
                            streamDown,
                            core.window(),
                            core.cumulative(),
                            core.examplesSeen(),
                            Map.copyOf(nodes),
                            List.copyOf(latencies)));
                return Behaviors.same();
              })
          .onMessage(NodeServes.class, this::onNodeServes)
          .onMessage(
              ForgetUser.class,
              f -> {
                if (core.forgetUser(f.userId())) {
                  ctx.getLog().info("forgot the learner's history of a user, as asked");
                }
                return Behaviors.same();
              })
          .onMessage(StreamUp.class, this::onStreamUp)
          .onMessage(StreamEnded.class, this::onStreamEnded)
          .onMessage(RestartStream.class, this::onRestartStream)
          .onMessage(HistoriesRebuilt.class, this::onHistoriesRebuilt)
          .onMessage(Retry.class, r -> Behaviors.same())
          .onSignal(PostStop.class, s -> release())
          // A supervised restart (with backoff) builds a new learner: this one's stream and model
          // go first, or each restart would leak a TensorFlow model and a Kafka consumer.
          .onSignal(PreRestart.class, s -> release())
          .build();
    }

    /**
     * Deletes the versions {@link VersionPruning} lets go, keeping what this learner and every node
     * serve. A failure only leaves them for the next checkpoint.
     */
    private void prune() {
      try {
        Set<String> pinned = new HashSet<>(nodes.values());
        pinned.add(core.version());
        pinned.addAll(experimentPins.get());
        List<VersionRecord> gone =
            VersionPruning.toDelete(
                VersionLoader.get(store.history(100_000)), settings.keepCheckpoints(), pinned);
        for (VersionRecord r : gone) {
          VersionLoader.get(store.delete(r));
        }
        if (!gone.isEmpty()) {
          ctx.getLog()
              .info(
                  "pruned {} stored versions older than the {} newest good checkpoints",
                  gone.size(),
                  settings.keepCheckpoints());
        }
      } catch (Exception e) {
        ctx.getLog().warn("pruning stored versions failed; tried again at the next checkpoint", e);
      }
    }

    private Behavior<Command> release() {
      stopStream();
      core.close();
      return Behaviors.same();
    }

    /**
     * A batch: first the histories of the users the learner does not know are asked for (the stream
     * waits: it reads the next batch once this one is answered), then it is learned.
     */
    private Behavior<Command> onFeed(Feed feed) {
      if (stream == null || feed.stream() != streamNumber) {
        feed.replyTo()
            .tell(Done.getInstance()); // paused meanwhile: the stream is gone, nothing is learned
        return Behaviors.same();
      }
      Map<String, FeedbackEvent> unknown =
          HistoryRebuild.firstEventsOfUnknownUsers(feed.records(), core::knowsUser);
      if (unknown.isEmpty()) {
        return learn(feed);
      }
      ctx.pipeToSelf(
          rebuild(unknown),
          (rebuilt, failure) ->
              failure == null
                  ? new HistoriesRebuilt(
                      feed, rebuilt.histories(), rebuilt.failures(), rebuilt.firstFailure())
                  : new HistoriesRebuilt(feed, Map.of(), unknown.size(), failure.toString()));
      return Behaviors.same();
    }

    /** What asking the entities gave: the histories that came back and the asks that failed. */
    private record Rebuilt(
        Map<String, List<String>> histories, int failures, String firstFailure) {}

    /** Asks each user's entity, at most {@code parallelism} at once, each within the timeout. */
    private CompletionStage<Rebuilt> rebuild(Map<String, FeedbackEvent> unknown) {
      long timeoutMillis = recovery.historyTimeout().toMillis();
      return Source.from(List.copyOf(unknown.entrySet()))
          .mapAsyncUnordered(
              recovery.historyParallelism(),
              e ->
                  histories
                      .recent(e.getKey())
                      .toCompletableFuture()
                      .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                      .<Object>thenApply(
                          recent ->
                              Map.entry(
                                  e.getKey(), HistoryRebuild.itemsBefore(recent, e.getValue())))
                      .exceptionally(failure -> Failures.rootCause(failure).toString()))
          .runWith(Sink.seq(), ctx.getSystem())
          .thenApply(
              answers -> {
                Map<String, List<String>> rebuilt = new LinkedHashMap<>();
                int failures = 0;
                String first = null;
                for (Object a : answers) {
                  if (a instanceof Map.Entry<?, ?> e) {
                    @SuppressWarnings("unchecked")
                    List<String> items = (List<String>) e.getValue();
                    rebuilt.put((String) e.getKey(), items);
                  } else {
                    failures++;
                    first = first == null ? (String) a : first;
                  }
                }
                return new Rebuilt(rebuilt, failures, first);
              });
    }

    private Behavior<Command> onHistoriesRebuilt(HistoriesRebuilt r) {
      int asked = r.histories().size() + r.failures();
      metrics.historyRebuilt(asked, r.failures());
      if (r.failures() > 0) {
        ctx.getLog()
            .warn(
                "the history of {} of {} users the learner did not know could not be rebuilt"
                    + " (e.g. {}); they go on without it",
                r.failures(),
                asked,
                r.firstFailure());
      }
      Feed feed = r.feed();
      if (stream == null || feed.stream() != streamNumber) {
        feed.replyTo().tell(Done.getInstance()); // paused or stopped meanwhile: nothing is learned
        return Behaviors.same();
      }
      r.histories().forEach(core::seedHistory);
      ctx.getLog()
          .debug(
              "rebuilt the history of {} users ({} items)",
              r.histories().size(),
              r.histories().values().stream().mapToInt(List::size).sum());
      return learn(feed);
    }

    private Behavior<Command> learn(Feed feed) {
      long t0 = System.nanoTime();
      LearnerCore.Step step;
      try {
        step = core.step(feed.records());
      } catch (RuntimeException e) {
        ctx.getLog().error("online learning step failed; pausing", e);
        pause("a learning step failed: " + e);
        feed.replyTo().tell(Done.getInstance());
        return Behaviors.same();
      }
      metrics.examples(core.examplesSeen(), core.window());
      if (step instanceof NewVersion v) {
        long t1 = System.nanoTime();
        publish(v);
        long t2 = System.nanoTime();
        metrics.version((t2 - t0) / 1e9);
        // Where a version's time goes: waiting (for the previous step, the batch window), the step,
        // storing and
        // publishing. It is what showed the update latency's cold-start tail to be slow first
        // steps.
        ctx.getLog()
            .debug(
                "version {}: {} records, {} examples; waited {} ms, step {} ms, publish {} ms{}",
                v.version(),
                feed.records().size(),
                v.examples(),
                System.currentTimeMillis() - v.oldestAcceptedAt() - (t2 - t0) / 1_000_000,
                (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000,
                v.checkpoint() ? " (checkpoint)" : "");
      } else if (step instanceof Rejected r) {
        ctx.getLog().warn("online learning version rejected: {}", r.reason());
        metrics.rejected();
        try {
          rollbackTo(null, r.reason());
        } catch (Exception e) {
          ctx.getLog().error("rolling back after a rejected version failed", e);
        }
        pause("guardrail: " + r.reason());
      }
      feed.replyTo().tell(Done.getInstance());
      return Behaviors.same();
    }

    private void publish(NewVersion v) {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("hr10", v.metrics().hr10());
      m.put("ndcg10", v.metrics().ndcg10());
      m.put("windowExamples", (double) v.metrics().examples());
      m.put("examples", (double) v.examples());
      m.put("loss", (double) v.loss());
      byte[] bytes =
          v.checkpoint()
              ? Checkpoint.toBytes(core.model(), core.items(), v.version())
              : v.delta().toBytes();
      try {
        VersionLoader.get(
            store.append(
                new VersionMeta(
                    v.seq(),
                    v.version(),
                    v.baseVersion(),
                    v.checkpoint() ? VersionKind.CHECKPOINT : VersionKind.DELTA,
                    Instant.now(),
                    VersionStatus.GOOD,
                    m,
                    v.offsets()),
                bytes));
      } catch (Exception e) {
        // Not stored means not learned: stop, and start again from what is stored (the examples
        // come again).
        ctx.getLog()
            .error(
                "storing model version {} failed; the learner restarts from the stored state",
                v.version(),
                e);
        throw new IllegalStateException("storing model version " + v.version() + " failed", e);
      }
      topic.tell(
          Topic.publish(
              new ModelUpdate.DeltaPublished(
                  v.seq(),
                  v.version(),
                  v.baseVersion(),
                  v.delta().toBytes(),
                  v.oldestAcceptedAt())));
      if (v.checkpoint()) {
        prune();
      }
      pendingLatency.put(v.version(), new long[] {v.seq(), v.oldestAcceptedAt()});
      while (pendingLatency.size() > 1000) {
        pendingLatency.remove(pendingLatency.keySet().iterator().next());
      }
    }

    /**
     * A version reached a node; once every reporting node serves it (or later), its latency is
     * known.
     */
    private Behavior<Command> onNodeServes(NodeServes n) {
      nodes.put(n.node(), n.version());
      var it = pendingLatency.entrySet().iterator();
      while (it.hasNext()) {
        var e = it.next();
        long seq = e.getValue()[0];
        boolean everywhere = nodes.values().stream().allMatch(v -> seqOf(v) >= seq);
        if (!everywhere) {
          break; // later versions cannot be everywhere either
        }
        long millis = n.atMillis() - e.getValue()[1];
        latencies.add(millis);
        if (latencies.size() > 10_000) {
          latencies.remove(0);
        }
        metrics.updateLatency(millis / 1000.0);
        it.remove();
      }
      return Behaviors.same();
    }

    private long seqOf(String version) {
      if (version == null) {
        return -1;
      }
      VersionName name = VersionName.parse(version);
      if (!name.learned()) {
        return version.equals(core.version()) ? core.seq() : 1;
      }
      return name.seq();
    }

    private void pause(String why) {
      stopStream();
      pausedBecause = why;
      metrics.paused(true);
    }

    /**
     * Rolls the cluster back to {@code version} (null: the newest good checkpoint): later versions
     * are marked rolled back, the learner reloads it from Cassandra, every node is told to serve
     * it. Returns the version.
     */
    private String rollbackTo(String version, String why) throws Exception {
      List<VersionRecord> history = VersionLoader.get(store.history(10_000));
      VersionRecord target =
          version == null
              ? history.stream()
                  .filter(
                      r -> r.kind() == VersionKind.CHECKPOINT && r.status() == VersionStatus.GOOD)
                  .findFirst()
                  .orElseThrow(
                      () -> new IllegalStateException("no good checkpoint to roll back to"))
              : history.stream()
                  .filter(r -> r.version().equals(version))
                  .findFirst()
                  .orElseThrow(
                      () -> new IllegalArgumentException("no stored model version " + version));
      if (target.status() != VersionStatus.GOOD) {
        throw new IllegalArgumentException(
            "version " + version + " is " + target.status().storedName());
      }
      // A stream waiting to be restarted counts as learning: only a pause stops learning.
      boolean wasLearning = pausedBecause == null;
      stopStream();
      Optional<VersionLoader.Loaded> loaded =
          VersionLoader.load(store, target.version(), settings.sessionThreads(), Device.CPU);
      for (VersionRecord r : history) {
        if (r.seq() > target.seq() && r.status() == VersionStatus.GOOD) {
          VersionLoader.get(store.markStatus(r.version(), VersionStatus.ROLLED_BACK));
        }
      }
      VersionLoader.Loaded l = loaded.orElseThrow();
      // Offsets stay where the stream is: the examples after the target are not learned again.
      Map<Integer, Long> offsets = core.offsets();
      core.model().close();
      core.reset(
          l.model().model(),
          l.model().items(),
          l.head().version(),
          Math.max(core.seq(), latestSeq(history)),
          offsets);
      topic.tell(Topic.publish(new ModelUpdate.ServeVersion(target.seq(), target.version(), why)));
      metrics.rolledBack();
      ctx.getLog().warn("model rolled back to {}: {}", target.version(), why);
      if (wasLearning && version != null) {
        startStream(); // a requested rollback keeps learning; a guardrail one pauses (the caller
        // does)
      }
      return target.version();
    }

    private static long latestSeq(List<VersionRecord> history) {
      return history.isEmpty() ? 0 : history.get(0).seq();
    }
  }
}
