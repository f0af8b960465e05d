package pulse.engine.inference;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import pulse.engine.catalog.CatalogIndex;
import pulse.engine.common.Failures;
import pulse.engine.event.Interaction;
import pulse.engine.inference.RecommendOutcome.Unserved;
import pulse.engine.inference.RecommendOutcome.Why;
import pulse.model.delta.ModelDelta;
import pulse.model.export.ModelLoadException;

/**
 * This node's inference pool: a batcher (this actor) in front of {@code workers} encoder workers.
 *
 * <p>The batcher only carries out {@link BatchingPolicy}'s decisions: it queues requests (refusing
 * them at once when the queue is full), answers those whose deadline passed in the queue with
 * TIMEOUT, and hands each batch to an idle worker together with the model version current at that
 * moment. Swapping the version therefore happens between batches: batches already running finish on
 * the old version, which is closed after the last of them; every later batch uses the new one; no
 * request sees two.
 *
 * <p>At start, and every {@code model-poll-interval}, the newest valid version in the model folder
 * is loaded off the actor (on the blocking dispatcher) and swapped in. Until a model is loaded
 * every request is answered NO_MODEL at once, and the caller serves the trending fallback.
 */
public final class InferencePool {
  private InferencePool() {}

  public static final String DISPATCHER = "pulse.inference.dispatcher";

  public sealed interface Command {}

  /**
   * Recommend for one user. {@code history}: the user's recent interactions, oldest first, as the
   * user actor holds them; {@code deadlineEpochMillis}: past it the answer is TIMEOUT (wall clock,
   * as it may come from another node).
   */
  public record Recommend(
      RecommendQuery query,
      List<Interaction> history,
      long deadlineEpochMillis,
      ActorRef<RecommendOutcome> replyTo)
      implements Command {}

  /** Serve this model from the next batch on; replies with the version replaced (or "none"). */
  public record Swap(ServingModel model, ActorRef<StatusReply<String>> replyTo)
      implements Command {}

  /**
   * Load the model in this folder and swap to it; replies with its version or why it was refused.
   */
  public record LoadVersion(Path dir, ActorRef<StatusReply<String>> replyTo) implements Command {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /**
   * Hold this version beside the current one, frozen (no deltas), for requests that name it ({@link
   * RecommendQuery#modelVersion()}): an experiment's pinned or canary variant. A version already
   * held is replaced.
   */
  public record Pin(ServingModel model) implements Command {}

  /** Stop holding this pinned version; it closes after its last batch in flight. */
  public record Unpin(String version) implements Command {}

  /**
   * Apply an online-learning delta to the served model between batches: dispatching pauses until
   * the batches running on the model finish, the delta is applied, dispatching resumes. Replies
   * with the new version, or an error when the delta's base is not the served version (the caller
   * then loads the version whole).
   */
  public record ApplyDelta(ModelDelta delta, ActorRef<StatusReply<String>> replyTo)
      implements Command {}

  /**
   * What the pool is doing now. {@code version} is null while no model is loaded; {@code pinned}:
   * the pinned versions it holds.
   */
  public record Status(
      String version, int queued, int workers, int idleWorkers, List<String> pinned) {}

  record BatchDone(
      ActorRef<InferenceWorker.Work> worker,
      List<ServingModel> models,
      int computed,
      long dispatchedAtNanos,
      long modelNanos)
      implements Command {}

  private record Wake() implements Command {}

  private record Poll() implements Command {}

  private record Loaded(
      Optional<ServingModel> model, Throwable failure, ActorRef<StatusReply<String>> replyTo)
      implements Command {}

  /** A queued request as the policy sees it. */
  record Pending(
      RecommendQuery query,
      List<Interaction> history,
      long enqueuedAtNanos,
      long deadlineNanos,
      ActorRef<RecommendOutcome> replyTo)
      implements BatchingPolicy.Pending {
    /** The pinned version the request names; null for the current one. */
    String pinnedVersion() {
      return query.modelVersion();
    }
  }

  /**
   * Observes the pool for metrics; every call is made on the pool's thread, so it must be cheap.
   */
  public interface Observer {
    Observer NONE = new Observer() {};

    default void batchDispatched(int size) {}

    default void queueWait(double seconds) {}

    /** A batch came back: how many requests went through the encoder, and the call's time. */
    default void modelCall(int batchSize, double seconds) {}

    default void timedOut() {}

    default void rejected() {}

    default void serving(String version) {}

    /** The queue's depth after a change (offered, dispatched, expired). */
    default void queueDepth(int depth) {}

    /**
     * One encoder call's share of a batch: a batch is cut into one slice per model it names, so
     * every pinned version (an experiment's variant, a canary) batches only with its own requests.
     */
    default void sliceDispatched(boolean pinned, int size) {}

    /** The variable bytes of the models held now: the current one, and all pinned ones together. */
    default void modelsHeld(long currentBytes, long pinnedBytes) {}
  }

  public static Behavior<Command> create(
      InferenceSettings settings, CatalogIndex catalog, Observer observer) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new Batcher(ctx, timers, settings, catalog, observer).start()));
  }

  private static final class Batcher {
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final InferenceSettings settings;
    private final Observer observer;
    private final BatchingPolicy<Pending> policy;
    private final ArrayDeque<ActorRef<InferenceWorker.Work>> idle = new ArrayDeque<>();
    private final ModelRepository repository;
    private final Executor blocking;
    private ServingModel current;
    private final Map<String, ServingModel> pinned = new HashMap<>();
    private boolean loading;
    private long wakeAt = BatchingPolicy.Decision.NEVER;
    private final List<ApplyDelta> pendingDeltas = new ArrayList<>();

    Batcher(
        ActorContext<Command> ctx,
        TimerScheduler<Command> timers,
        InferenceSettings settings,
        CatalogIndex catalog,
        Observer observer) {
      this.ctx = ctx;
      this.timers = timers;
      this.settings = settings;
      this.observer = observer;
      this.policy = new BatchingPolicy<>(settings.batching(), settings.workers());
      this.repository = new ModelRepository(settings.modelDir());
      this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
      for (int i = 0; i < settings.workers(); i++) {
        idle.push(
            ctx.spawn(
                InferenceWorker.create(ctx.getSelf(), catalog),
                "worker-" + i,
                DispatcherSelector.fromConfig(DISPATCHER)));
      }
    }

    Behavior<Command> start() {
      ctx.getSelf().tell(new Poll());
      return Behaviors.receive(Command.class)
          .onMessage(Recommend.class, this::onRecommend)
          .onMessage(BatchDone.class, this::onBatchDone)
          .onMessage(
              Wake.class,
              w -> {
                wakeAt = BatchingPolicy.Decision.NEVER;
                return decide();
              })
          .onMessage(
              Swap.class,
              s -> {
                String old = swapTo(s.model());
                s.replyTo().tell(StatusReply.success(old));
                return Behaviors.same();
              })
          .onMessage(LoadVersion.class, this::onLoadVersion)
          .onMessage(
              Pin.class,
              p -> {
                ServingModel old = pinned.put(p.model().version(), p.model());
                if (old != null && old != p.model()) {
                  old.retire();
                }
                reportHeld();
                ctx.getLog().info("holding pinned model version {}", p.model().version());
                return Behaviors.same();
              })
          .onMessage(
              Unpin.class,
              u -> {
                ServingModel old = pinned.remove(u.version());
                if (old != null) {
                  old.retire();
                  reportHeld();
                  ctx.getLog().info("released pinned model version {}", u.version());
                }
                return Behaviors.same();
              })
          .onMessage(
              ApplyDelta.class,
              a -> {
                if (current == null || !current.version().equals(a.delta().baseVersion())) {
                  a.replyTo()
                      .tell(
                          StatusReply.error(
                              "delta "
                                  + a.delta().version()
                                  + " is based on "
                                  + a.delta().baseVersion()
                                  + ", this node serves "
                                  + (current == null ? "no model" : current.version())));
                  return Behaviors.same();
                }
                pendingDeltas.add(a);
                return decide();
              })
          .onMessage(
              Poll.class,
              p -> {
                pollRepository();
                return Behaviors.same();
              })
          .onMessage(Loaded.class, this::onLoaded)
          .onMessage(
              GetStatus.class,
              g -> {
                g.replyTo()
                    .tell(
                        new Status(
                            current == null ? null : current.version(),
                            policy.queued(),
                            settings.workers(),
                            policy.idleWorkers(),
                            pinned.keySet().stream().sorted().toList()));
                return Behaviors.same();
              })
          .onSignal(PostStop.class, s -> retire())
          // A supervised restart builds a new pool: the old one's model is released first.
          .onSignal(PreRestart.class, s -> retire())
          .build();
    }

    private Behavior<Command> retire() {
      if (current != null) {
        current.retire();
        current = null;
      }
      pinned.values().forEach(ServingModel::retire);
      pinned.clear();
      reportHeld();
      return Behaviors.same();
    }

    private void reportHeld() {
      observer.modelsHeld(
          current == null ? 0 : current.variableBytes(),
          pinned.values().stream().mapToLong(ServingModel::variableBytes).sum());
    }

    private Behavior<Command> onRecommend(Recommend r) {
      String version = r.query().modelVersion();
      if (version != null && !pinned.containsKey(version)) {
        // Not loaded here (yet): the current model answers, and its version in the answer tells
        // the caller the variant was not served (the experiment then leaves the list out).
        return onRecommend(
            new Recommend(
                r.query().withModelVersion(null),
                r.history(),
                r.deadlineEpochMillis(),
                r.replyTo()));
      }
      if (version == null && current == null) {
        r.replyTo()
            .tell(
                new Unserved(
                    Why.NO_MODEL,
                    "no model loaded yet (model folder: " + settings.modelDir() + ")"));
        return Behaviors.same();
      }
      long now = System.nanoTime();
      long budgetNanos = (r.deadlineEpochMillis() - System.currentTimeMillis()) * 1_000_000L;
      Pending p = new Pending(r.query(), r.history(), now, now + budgetNanos, r.replyTo());
      if (!policy.offer(p)) {
        observer.rejected();
        r.replyTo()
            .tell(
                new Unserved(
                    Why.REJECTED, "inference queue full (" + policy.queued() + " waiting)"));
        return Behaviors.same();
      }
      return decide();
    }

    private Behavior<Command> onBatchDone(BatchDone done) {
      done.models().forEach(ServingModel::release);
      if (done.computed() > 0) {
        observer.modelCall(done.computed(), done.modelNanos() / 1e9);
      }
      idle.push(done.worker());
      policy.workerIdle();
      return decide();
    }

    /** Carries out the policy until it says wait; then sets the one timer for when to ask again. */
    private Behavior<Command> decide() {
      if (!pendingDeltas.isEmpty()) {
        if (current.inFlight() > 0) {
          return Behaviors.same(); // the last running batch's BatchDone brings us back here
        }
        applyPendingDeltas();
      }
      while (true) {
        long now = System.nanoTime();
        BatchingPolicy.Decision<Pending> d = policy.decide(now);
        for (Pending p : d.expired()) {
          observer.timedOut();
          p.replyTo()
              .tell(
                  new Unserved(
                      Why.TIMEOUT,
                      "deadline passed after "
                          + (now - p.enqueuedAtNanos()) / 1_000_000
                          + " ms in the inference queue"));
        }
        if (d.dispatch()) {
          dispatch(d.batch(), now);
        }
        if (d.wakeUpAtNanos() > now || !d.dispatch()) {
          observer.queueDepth(policy.queued());
          schedule(d.wakeUpAtNanos(), now);
          return Behaviors.same();
        }
      }
    }

    private void applyPendingDeltas() {
      for (ApplyDelta a : pendingDeltas) {
        try {
          current.applyDelta(a.delta());
          a.replyTo().tell(StatusReply.success(current.version()));
        } catch (RuntimeException e) {
          ctx.getLog().warn("delta {} not applied: {}", a.delta().version(), e.getMessage());
          a.replyTo().tell(StatusReply.error(e.getMessage()));
        }
      }
      pendingDeltas.clear();
      observer.serving(current.version());
    }

    /**
     * One batch from the queue, cut into one slice per model version it names (the current one,
     * pinned ones), each computed with exactly that model. A pinned version released while its
     * requests queued answers them NO_MODEL (the caller falls back).
     */
    private void dispatch(List<Pending> batch, long now) {
      Map<String, List<Pending>> byVersion = new LinkedHashMap<>();
      for (Pending p : batch) {
        observer.queueWait((now - p.enqueuedAtNanos()) / 1e9);
        byVersion
            .computeIfAbsent(
                p.pinnedVersion() == null ? "" : p.pinnedVersion(), v -> new ArrayList<>())
            .add(p);
      }
      List<InferenceWorker.Slice> slices = new ArrayList<>(byVersion.size());
      for (Map.Entry<String, List<Pending>> e : byVersion.entrySet()) {
        ServingModel model = e.getKey().isEmpty() ? current : pinned.get(e.getKey());
        if (model == null || !model.acquire()) {
          for (Pending p : e.getValue()) {
            p.replyTo()
                .tell(
                    new Unserved(
                        Why.NO_MODEL,
                        "model version " + e.getKey() + " was released while the request queued"));
          }
          continue;
        }
        slices.add(new InferenceWorker.Slice(model, e.getValue()));
        observer.sliceDispatched(!e.getKey().isEmpty(), e.getValue().size());
      }
      observer.batchDispatched(batch.size());
      if (slices.isEmpty()) {
        policy.workerIdle(); // the policy counted a busy worker for this batch
        return;
      }
      idle.pop().tell(new InferenceWorker.Work(slices, now));
    }

    private void schedule(long at, long now) {
      if (at == BatchingPolicy.Decision.NEVER) {
        return; // the next offer or finished batch asks again
      }
      if (at < wakeAt || !timers.isTimerActive("wake")) {
        wakeAt = at;
        timers.startSingleTimer("wake", new Wake(), Duration.ofNanos(Math.max(0, at - now)));
      }
    }

    private String swapTo(ServingModel next) {
      for (ApplyDelta a : pendingDeltas) {
        a.replyTo()
            .tell(
                StatusReply.error(
                    "the served model was replaced before delta "
                        + a.delta().version()
                        + " could be applied"));
      }
      pendingDeltas.clear();
      ServingModel old = current;
      current = next;
      observer.serving(next.version());
      reportHeld();
      ctx.getLog()
          .info(
              "serving model {} from {}{}",
              next.version(),
              next.dir(),
              old == null ? "" : " (was " + old.version() + ")");
      if (old != null && old != next) {
        old.retire(); // closes after its last batch in flight
      }
      return old == null ? "none" : old.version();
    }

    /**
     * Runs the encoder at batch 1 and the largest batch before the model serves (blocking: on the
     * loading thread): a cold TensorFlow model's first calls take hundreds of ms, which the first
     * users after a start or a swap would otherwise wait for.
     */
    private ServingModel warmedUp(ServingModel model) {
      model.warmUp(settings.batching().maxBatchSize());
      return model;
    }

    private void pollRepository() {
      if (!loading) {
        loading = true;
        String have = current == null ? null : current.version();
        CompletableFuture<Optional<ServingModel>> load =
            CompletableFuture.supplyAsync(
                () ->
                    repository
                        .loadNewest(have, settings.sessionThreads(), settings.device())
                        .map(this::warmedUp),
                blocking);
        ctx.pipeToSelf(
            load,
            (model, failure) ->
                new Loaded(model == null ? Optional.empty() : model, failure, null));
      }
    }

    private Behavior<Command> onLoadVersion(LoadVersion lv) {
      CompletableFuture<Optional<ServingModel>> load =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return Optional.of(
                      warmedUp(
                          ModelRepository.load(
                              lv.dir(), settings.sessionThreads(), settings.device())));
                } catch (ModelLoadException e) {
                  throw new CompletionException(e);
                }
              },
              blocking);
      ctx.pipeToSelf(
          load,
          (model, failure) ->
              new Loaded(model == null ? Optional.empty() : model, failure, lv.replyTo()));
      return Behaviors.same();
    }

    private Behavior<Command> onLoaded(Loaded l) {
      if (l.replyTo() == null) {
        loading = false;
        if (!settings.modelPoll().isZero()) {
          timers.startSingleTimer("poll", new Poll(), settings.modelPoll());
        }
      }
      if (l.failure() != null) {
        Throwable cause = Failures.unwrapCompletion(l.failure());
        ctx.getLog().warn("loading a model failed: {}", cause.getMessage());
        if (l.replyTo() != null) {
          l.replyTo().tell(StatusReply.error(cause.getMessage()));
        }
      } else if (l.model().isPresent()) {
        swapTo(l.model().get());
        if (l.replyTo() != null) {
          l.replyTo().tell(StatusReply.success(l.model().get().version()));
        }
      } else if (current == null) {
        ctx.getLog()
            .info(
                "no model in {} yet; recommendations fall back to trending items",
                settings.modelDir());
      }
      return Behaviors.same();
    }
  }
}
