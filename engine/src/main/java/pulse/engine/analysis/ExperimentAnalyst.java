package pulse.engine.analysis;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import pulse.engine.common.CborSerializable;
import pulse.engine.experiment.Experiment;
import pulse.engine.experiment.ExperimentReport;
import pulse.engine.experiment.Experiments;
import pulse.engine.experiment.ListAttribution;
import pulse.engine.experiment.ListOutcome;
import pulse.engine.experiment.Rollout;
import pulse.engine.experiment.ServedList;
import pulse.engine.experiment.UserAction;
import pulse.engine.experiment.VariantTotals;
import pulse.engine.feedback.FeedRecord;
import pulse.engine.feedback.FeedbackReader;
import pulse.engine.feedback.FeedbackWire;

/**
 * The cluster's one experiment analyst (a cluster singleton): reads every persisted event from the
 * feedback topic, puts served lists back together from their impressions ({@link ServedLists}),
 * credits clicks, carts and purchases to them and ranks each list against the user's next action
 * ({@link ListAttribution}), and adds every list whose window closed to its variant's totals
 * ({@link VariantTotals}). Any node's {@code GET /v1/experiments/{name}} asks it for the totals.
 *
 * <p>Records are taken in event-time order, not in the order they arrive: a user actor persists a
 * served list's impressions after the answer left, so a quick click can reach the journal (and the
 * topic) before the impressions it belongs to. Records wait in a buffer until the newest event time
 * read, less {@code lateness}, has passed them, and leave it oldest first; windows close by the
 * same watermark. When the topic is quiet the reader has caught up, and the wall clock less {@code
 * lateness} moves the watermark instead.
 *
 * <p>Every {@code checkpoint-interval} it saves totals, open lists and offsets in one Cassandra row
 * ({@link CheckpointStore}); a new analyst (a restart, or the singleton moving to another node)
 * starts from there, so the records it reads again meet the state they met before: no list lost,
 * none counted twice. A running experiment whose split drifts from its weights ({@link
 * ExperimentReport#sampleRatioMismatch()}) is stopped, with the figures in the log.
 */
public final class ExperimentAnalyst {
  private ExperimentAnalyst() {}

  public sealed interface Command extends CborSerializable {}

  /** The totals of one experiment's variants now, and how many lists are still open (all). */
  public record GetTotals(String experiment, ActorRef<Totals> replyTo) implements Command {}

  public record Totals(Map<String, VariantTotals.Snapshot> variants, long openLists)
      implements CborSerializable {}

  /**
   * A shadow variant's list, scored on a served request and never shown (any node sends it). It
   * joins the topic's records as impressions at its serving time, so it meets the user's next
   * action in event time; one that arrives after the watermark passed that time, or while the
   * analyst restores its checkpoint, is dropped. Not durable until the next checkpoint: shadow
   * figures are best effort.
   */
  public record ShadowServed(ServedList list) implements Command {}

  private record Process(List<FeedRecord> batch, ActorRef<Done> replyTo) implements Command {}

  private record Restored(Optional<AnalystCheckpoint> checkpoint, Throwable failure)
      implements Command {}

  private record StreamEnded(Throwable failure) implements Command {}

  private record Saved(Throwable failure) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private enum RestartStream implements Command {
    INSTANCE
  }

  /**
   * Starts the cluster's analyst (on the oldest node) and returns this node's proxy to it. It
   * restarts with backoff after a failure (e.g. Cassandra away when it reads its checkpoint).
   */
  public static ActorRef<Command> init(
      ActorSystem<?> system, Experiments experiments, String feedbackTopic) {
    return ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                Behaviors.supervise(
                        Behaviors.<Command>setup(
                            ctx -> create(AnalystSettings.of(system, feedbackTopic), experiments)))
                    .onFailure(
                        SupervisorStrategy.restartWithBackoff(
                            Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)),
                "experiment-analyst"));
  }

  static Behavior<Command> create(AnalystSettings settings, Experiments experiments) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    Behaviors.withStash(
                        10_000,
                        stash -> {
                          ctx.pipeToSelf(settings.store().load(), Restored::new);
                          return new Analyst(ctx, timers, stash, settings, experiments).restoring();
                        })));
  }

  private static final class Analyst {
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final StashBuffer<Command> stash;
    private final AnalystSettings settings;
    // Experiments whose mismatch was logged: once each (it is checked at every checkpoint).
    private final Set<String> warnedMismatch = new HashSet<>();
    private final Experiments experiments;
    private final VariantTotals totals = new VariantTotals();
    private final AnalystGauges gauges;
    private ListAttribution attribution;
    private ServedLists lists;
    private final Map<Integer, Long> offsets = new HashMap<>();
    private long newestEventTime = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;
    private long lateShadowLists;
    // Read, not yet taken: ordered by event time, then by arrival.
    private final TreeMap<Long, List<FeedbackWire>> waiting = new TreeMap<>();
    private long lastRecordAtNanos = System.nanoTime();
    private boolean changedSinceSave;
    private boolean saving;
    private FeedbackReader.Running stream;

    Analyst(
        ActorContext<Command> ctx,
        TimerScheduler<Command> timers,
        StashBuffer<Command> stash,
        AnalystSettings settings,
        Experiments experiments) {
      this.ctx = ctx;
      this.timers = timers;
      this.stash = stash;
      this.settings = settings;
      this.experiments = experiments;
      this.gauges = settings.gauges();
    }

    Behavior<Command> restoring() {
      return Behaviors.receive(Command.class)
          .onMessage(Restored.class, this::onRestored)
          .onAnyMessage(
              m -> {
                if (m instanceof GetTotals g) {
                  g.replyTo().tell(new Totals(Map.of(), 0)); // not restored yet: nothing to say
                } else if (m instanceof ShadowServed) {
                  // Best effort, and many: a full stash would fail the analyst. Dropped, as late.
                  lateShadowLists++;
                } else {
                  stash.stash(m);
                }
                return Behaviors.same();
              })
          .build();
    }

    private Behavior<Command> onRestored(Restored r) {
      if (r.failure() != null) {
        // Without the checkpoint, starting afresh would count from nothing: fail, and the
        // singleton's supervisor starts this analyst again with backoff.
        throw new IllegalStateException(
            "cannot read the experiment analyst's checkpoint", r.failure());
      }
      if (r.checkpoint().isPresent()) {
        AnalystCheckpoint c = r.checkpoint().get();
        c.totals().forEach((e, byVariant) -> byVariant.forEach((v, s) -> totals.restore(e, v, s)));
        attribution =
            ListAttribution.restore(
                c.progress().attribution(), settings.window(), settings.maxUsers(), this::finished);
        c.progress().waiting().forEach(this::hold);
        offsets.putAll(c.offsets());
        ctx.getLog()
            .info(
                "experiment analyst resumes at offsets {} with {} open lists",
                offsets,
                attribution.openLists());
      } else {
        attribution = new ListAttribution(settings.window(), settings.maxUsers(), this::finished);
        ctx.getLog().info("experiment analyst starts at the feedback topic's end");
      }
      lists =
          new ServedLists(
              settings.lateness().toMillis(), attribution::served, experiments::isShadow);
      startStream();
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.checkpointInterval());
      return stash.unstashAll(running());
    }

    private Behavior<Command> running() {
      return Behaviors.receive(Command.class)
          .onMessage(Process.class, this::onProcess)
          .onMessage(ShadowServed.class, this::onShadowServed)
          .onMessage(
              GetTotals.class,
              g -> {
                g.replyTo()
                    .tell(new Totals(totals.snapshotsOf(g.experiment()), attribution.openLists()));
                return Behaviors.same();
              })
          .onMessage(Tick.class, t -> onTick())
          .onMessage(
              Saved.class,
              s -> {
                saving = false;
                if (s.failure() != null) {
                  changedSinceSave = true;
                  ctx.getLog()
                      .warn(
                          "saving the experiment analyst's checkpoint failed (next try in {}): {}",
                          settings.checkpointInterval(),
                          s.failure().toString());
                }
                return Behaviors.same();
              })
          .onMessage(StreamEnded.class, this::onStreamEnded)
          .onMessage(
              RestartStream.class,
              r -> {
                startStream();
                return Behaviors.same();
              })
          .onSignal(
              PostStop.class,
              s -> {
                if (stream != null) {
                  stream.killSwitch().shutdown();
                }
                gauges.close();
                return Behaviors.same();
              })
          .build();
    }

    private void startStream() {
      ActorRef<Command> self = ctx.getSelf();
      stream =
          FeedbackReader.run(
              ctx.getSystem(),
              settings.feedback(),
              Map.copyOf(offsets),
              batch ->
                  AskPattern.ask(
                      self,
                      (ActorRef<Done> replyTo) -> new Process(batch, replyTo),
                      Duration.ofSeconds(60),
                      ctx.getSystem().scheduler()));
      ctx.pipeToSelf(stream.done(), (done, failure) -> new StreamEnded(failure));
    }

    private Behavior<Command> onStreamEnded(StreamEnded e) {
      ctx.getLog()
          .warn(
              "the experiment analyst's feedback stream ended ({}); reading again in {}",
              e.failure() == null ? "completed" : e.failure().toString(),
              settings.restartBackoff());
      timers.startSingleTimer(RestartStream.INSTANCE, settings.restartBackoff());
      return Behaviors.same();
    }

    private Behavior<Command> onProcess(Process p) {
      for (FeedRecord r : p.batch()) {
        offsets.put(r.partition(), r.offset() + 1);
        if (r.wire() != null) {
          newestEventTime = Math.max(newestEventTime, r.wire().timestamp());
          hold(r.wire());
        }
      }
      if (!p.batch().isEmpty()) {
        lastRecordAtNanos = System.nanoTime();
        changedSinceSave = true;
        advanceTo(newestEventTime - settings.lateness().toMillis());
      }
      p.replyTo().tell(Done.getInstance());
      return Behaviors.same();
    }

    private Behavior<Command> onShadowServed(ShadowServed s) {
      ServedList l = s.list();
      if (l.servedAt() <= watermark) {
        lateShadowLists++;
        if (lateShadowLists == 1 || lateShadowLists % 1000 == 0) {
          ctx.getLog()
              .warn(
                  "{} shadow lists dropped: they came after the records of their time had been"
                      + " taken, or while the analyst restored its checkpoint",
                  lateShadowLists);
        }
        return Behaviors.same();
      }
      for (int rank = 1; rank <= l.items().size(); rank++) {
        hold(
            new FeedbackWire(
                "shadow-" + l.listId() + "-" + rank,
                l.userId(),
                l.items().get(rank - 1),
                "impression",
                l.servedAt(),
                List.of(),
                null,
                (double) rank,
                l.listId(),
                l.experiment(),
                l.variant(),
                null,
                l.tookMs()));
      }
      changedSinceSave = true;
      return Behaviors.same();
    }

    private void hold(FeedbackWire w) {
      waiting.computeIfAbsent(w.timestamp(), t -> new ArrayList<>()).add(w);
    }

    /** Takes every waiting record at or before {@code watermark}, oldest first; closes windows. */
    private void advanceTo(long watermark) {
      this.watermark = Math.max(this.watermark, watermark);
      while (!waiting.isEmpty() && waiting.firstKey() <= watermark) {
        for (FeedbackWire w : waiting.pollFirstEntry().getValue()) {
          take(w);
        }
      }
      lists.settle(watermark);
      attribution.advanceTo(watermark);
    }

    private void take(FeedbackWire w) {
      if (lists.offer(w)) {
        return;
      }
      lists.completeUser(w.userId());
      if (w.itemId() != null) { // a type that is no action (a search, an impression) counts nothing
        attribution.action(
            new UserAction(w.userId(), w.itemId(), w.type(), w.timestamp(), w.listId()));
      }
    }

    private void finished(ListOutcome o) {
      totals.add(o);
      gauges.update(
          o.experiment(),
          o.variant(),
          experiments.isShadow(o.experiment(), o.variant()),
          totals.snapshot(o.experiment(), o.variant()));
    }

    private Behavior<Command> onTick() {
      boolean quiet =
          System.nanoTime() - lastRecordAtNanos > settings.lateness().toNanos()
              && (!waiting.isEmpty() || lists.assembling() > 0 || attribution.openLists() > 0);
      if (quiet) {
        // Caught up: nothing older than now is still on its way through the topic.
        advanceTo(System.currentTimeMillis() - settings.lateness().toMillis());
        changedSinceSave = true;
      }
      checkSampleRatios();
      if (changedSinceSave && !saving) {
        lists.completeAll();
        List<FeedbackWire> held = new ArrayList<>();
        waiting.values().forEach(held::addAll);
        AnalystCheckpoint checkpoint =
            new AnalystCheckpoint(
                allTotals(), new AnalystCheckpoint.Progress(attribution.state(), held), offsets);
        saving = true;
        changedSinceSave = false;
        ctx.pipeToSelf(settings.store().save(checkpoint), (done, failure) -> new Saved(failure));
      }
      return Behaviors.same();
    }

    private Map<String, Map<String, VariantTotals.Snapshot>> allTotals() {
      Map<String, Map<String, VariantTotals.Snapshot>> all = new HashMap<>();
      for (Experiment e : experiments.list()) {
        Map<String, VariantTotals.Snapshot> of = totals.snapshotsOf(e.name());
        if (!of.isEmpty()) {
          all.put(e.name(), of);
        }
      }
      return all;
    }

    private void checkSampleRatios() {
      for (Experiment e : experiments.running()) {
        if (e.name().startsWith(Rollout.EXPERIMENT_PREFIX)) {
          continue; // a rollout's split changes at every step by design: its totals span steps
        }
        ExperimentReport report =
            ExperimentReport.of(e, totals.snapshotsOf(e.name()), attribution.openLists());
        if (report.sampleRatioMismatch() && warnedMismatch.add(e.name())) {
          ctx.getLog()
              .error(
                  "experiment {} {}: its split drifted from its weights (sample ratio"
                      + " p-value {}; lists per variant {})",
                  e.name(),
                  settings.stopOnSampleRatioMismatch()
                      ? "is stopped"
                      : "goes on (stop-on-sample-ratio-mismatch = off)",
                  report.sampleRatioPValue(),
                  report.variants().stream()
                      .map(v -> v.variant() + "=" + v.lists() + " (share " + v.share() + ")")
                      .toList());
          if (settings.stopOnSampleRatioMismatch()) {
            experiments.stop(e.name());
          }
        }
      }
    }
  }
}
