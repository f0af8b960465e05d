package pulse.engine.versions;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import pulse.engine.common.Failures;
import pulse.engine.inference.InferencePool;
import pulse.engine.inference.InferenceSettings;
import pulse.engine.inference.ServingModel;
import pulse.model.delta.ModelDelta;

/**
 * Keeps this node's inference pool on the learner's versions. At start it loads the head of the
 * stored version chain (if the learner has stored any) and swaps it in; then it hands every
 * published delta to the pool, which applies it between batches. A delta that does not fit (this
 * node missed one, or just started) makes it load the version whole from Cassandra; deltas arriving
 * meanwhile are not applied, and if a newer one came, that one is loaded next. A {@link
 * ModelUpdate.ServeVersion} (rollback) is always loaded whole: exact scores of that version, not an
 * approximation by inverse deltas.
 *
 * <p>Pub/sub is not the only road: every reconcile interval the follower asks the store for its
 * newest sequence number, and a node still behind it at the next tick (it missed a delta nobody
 * will resend, or joined after the last one) loads the chain head whole. Two ticks, so a delta
 * still in flight is not mistaken for a missed one.
 */
public final class ModelFollower {
  private ModelFollower() {}

  public sealed interface Command {}

  private record Update(ModelUpdate update) implements Command {}

  private record Applied(String version, StatusReply<String> reply) implements Command {}

  /** {@code serving}: the loaded head, warmed up; null when nothing was loaded. */
  private record Loaded(
      Optional<VersionLoader.Loaded> loaded, ServingModel serving, Throwable failure, String wanted)
      implements Command {}

  private enum Reconcile implements Command {
    TICK
  }

  private record Newest(OptionalLong seq, Throwable failure) implements Command {}

  public static Behavior<Command> create(
      ActorRef<InferencePool.Command> pool,
      ModelVersionStore store,
      ActorRef<Topic.Command<ModelUpdate>> topic,
      InferenceSettings settings,
      Duration reconcileInterval) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  if (!reconcileInterval.isZero()) {
                    timers.startTimerWithFixedDelay(Reconcile.TICK, reconcileInterval);
                  }
                  return new Follower(ctx, pool, store, settings).start(topic);
                }));
  }

  private static final class Follower {
    private final ActorContext<Command> ctx;
    private final ActorRef<InferencePool.Command> pool;
    private final ModelVersionStore store;
    private final InferenceSettings settings;
    private final Executor blocking;
    private String loading; // the version being loaded whole ("" = the chain head), or null
    private String wantedNext; // a newer version published while loading
    private long servingSeq = VersionName.OFFLINE; // of the version the pool was last given
    private long behindOf =
        VersionName.OFFLINE; // the store's newest seq at the last tick, if ahead
    private long syncedSeq = VersionName.OFFLINE; // the store's newest seq when a tick last loaded

    Follower(
        ActorContext<Command> ctx,
        ActorRef<InferencePool.Command> pool,
        ModelVersionStore store,
        InferenceSettings settings) {
      this.ctx = ctx;
      this.pool = pool;
      this.store = store;
      this.settings = settings;
      this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    }

    Behavior<Command> start(ActorRef<Topic.Command<ModelUpdate>> topic) {
      topic.tell(Topic.subscribe(ctx.messageAdapter(ModelUpdate.class, Update::new)));
      loadWhole(null);
      return Behaviors.receive(Command.class)
          .onMessage(Update.class, u -> onUpdate(u.update()))
          .onMessage(
              Applied.class,
              a -> {
                if (a.reply().isSuccess()) {
                  servingSeq = VersionName.parse(a.version()).seq();
                } else {
                  ctx.getLog()
                      .info(
                          "delta {} does not fit this node ({}); loading it whole",
                          a.version(),
                          a.reply().getError().getMessage());
                  loadWhole(a.version());
                }
                return Behaviors.same();
              })
          .onMessage(Loaded.class, this::onLoaded)
          .onMessage(Reconcile.class, t -> onTick())
          .onMessage(Newest.class, this::onNewest)
          .build();
    }

    private Behavior<Command> onTick() {
      if (loading == null) {
        ctx.pipeToSelf(store.latestSeq(), Newest::new);
      }
      return Behaviors.same();
    }

    private Behavior<Command> onNewest(Newest n) {
      if (n.failure() != null || n.seq().isEmpty() || loading != null) {
        return Behaviors.same();
      }
      long newest = n.seq().getAsLong();
      // syncedSeq: rolled-back versions stay the newest in the store, and loading the chain head
      // again would give the same version; only something stored since then is worth a load.
      if (newest <= Math.max(servingSeq, syncedSeq)) {
        behindOf = VersionName.OFFLINE;
      } else if (behindOf != VersionName.OFFLINE && servingSeq < behindOf) {
        ctx.getLog()
            .info(
                "the version store holds seq {} but this node serves seq {} since the last check;"
                    + " loading the newest version whole",
                newest,
                servingSeq);
        behindOf = VersionName.OFFLINE;
        syncedSeq = newest;
        loadWhole(null);
      } else {
        behindOf = newest;
      }
      return Behaviors.same();
    }

    private Behavior<Command> onUpdate(ModelUpdate update) {
      if (update instanceof ModelUpdate.DeltaPublished d) {
        if (loading != null) {
          wantedNext = d.version();
          return Behaviors.same();
        }
        ModelDelta delta;
        try {
          delta = ModelDelta.fromBytes(d.delta());
        } catch (RuntimeException e) {
          ctx.getLog()
              .warn(
                  "published delta {} is unreadable ({}); loading it whole",
                  d.version(),
                  e.getMessage());
          loadWhole(d.version());
          return Behaviors.same();
        }
        ctx.pipeToSelf(
            AskPattern.<InferencePool.Command, StatusReply<String>>ask(
                pool,
                r -> new InferencePool.ApplyDelta(delta, r),
                Duration.ofSeconds(30),
                ctx.getSystem().scheduler()),
            (reply, failure) ->
                new Applied(d.version(), failure == null ? reply : StatusReply.error(failure)));
      } else if (update instanceof ModelUpdate.ServeVersion s) {
        if (loading != null) {
          wantedNext = s.version();
        } else {
          ctx.getLog().info("told to serve model version {} ({})", s.version(), s.reason());
          loadWhole(s.version());
        }
      }
      return Behaviors.same();
    }

    /**
     * Loads {@code version} (null: the head of the stored chain) off the actor, then swaps it in.
     */
    private void loadWhole(String version) {
      loading = version == null ? "" : version;
      CompletableFuture<Loaded> load =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  Optional<VersionLoader.Loaded> loaded =
                      VersionLoader.load(
                          store, version, settings.sessionThreads(), settings.device());
                  // Warmed up here, off the actor.
                  ServingModel serving =
                      loaded
                          .map(
                              l -> VersionLoader.warmServing(l, settings.batching().maxBatchSize()))
                          .orElse(null);
                  return new Loaded(loaded, serving, null, version);
                } catch (Exception e) {
                  throw new CompletionException(e);
                }
              },
              blocking);
      ctx.pipeToSelf(
          load,
          (loaded, failure) ->
              failure == null ? loaded : new Loaded(Optional.empty(), null, failure, version));
    }

    private Behavior<Command> onLoaded(Loaded l) {
      loading = null;
      if (l.failure() != null) {
        Throwable cause = Failures.unwrapCompletion(l.failure());
        ctx.getLog()
            .warn(
                "loading model version {} from Cassandra failed: {}",
                l.wanted() == null ? "(newest)" : l.wanted(),
                cause.toString());
      } else if (l.loaded().isPresent()) {
        servingSeq = VersionName.parse(l.loaded().get().head().version()).seq();
        pool.tell(new InferencePool.Swap(l.serving(), ctx.getSystem().ignoreRef()));
      }
      if (wantedNext != null) {
        String next = wantedNext;
        wantedNext = null;
        if (l.loaded().isEmpty() || !l.loaded().get().head().version().equals(next)) {
          loadWhole(next);
        }
      }
      return Behaviors.same();
    }
  }
}
