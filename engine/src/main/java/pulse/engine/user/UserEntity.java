package pulse.engine.user;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.BackoffSupervisorStrategy;
import akka.actor.typed.Behavior;
import akka.actor.typed.PreRestart;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.cassandra.cleanup.Cleanup;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.SnapshotAdapter;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import pulse.engine.common.CborSerializable;
import pulse.engine.event.Interaction;
import pulse.engine.event.OutboxTags;
import pulse.engine.event.PersistedEvents;
import pulse.engine.event.RecordedEvent;
import pulse.engine.inference.InferencePool;
import pulse.engine.inference.RecommendOutcome;
import pulse.engine.inference.RecommendQuery;
import pulse.engine.metrics.PulseMetrics;
import scala.jdk.javaapi.FutureConverters;

/**
 * One user: an event-sourced actor, sharded over the cluster, holding that user's rolling behaviour
 * features.
 *
 * <p>Every accepted event is persisted before it is acknowledged; redelivered events (same eventId)
 * are acknowledged as duplicates and change nothing. Item categories are resolved before an event
 * reaches the actor and persisted with it, so replaying the journal gives the same features
 * whatever the catalog says today. The feature math lives in {@link UserFeatures}; this class only
 * wires it to persistence.
 */
public final class UserEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        UserEntity.Command, UserEntity.Event, UserEntity.State> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "User");

  // --- protocol
  // -------------------------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /** Persist these events (all for this user); replies once they are persisted. */
  public record Record(List<RecordedEvent> events, ActorRef<StatusReply<Recorded>> replyTo)
      implements Command {}

  public record Recorded(int accepted, int duplicates) implements CborSerializable {}

  /** The features evaluated at {@code atMillis} (now when null). */
  public record GetFeatures(Long atMillis, ActorRef<StatusReply<Features>> replyTo)
      implements Command {}

  /** A user's features; empty for a user with no events (an unknown user: the API's 404). */
  public record Features(Optional<FeatureView> view) implements CborSerializable {}

  /** The recent interactions, oldest first (the model's input). */
  public record GetRecent(ActorRef<StatusReply<Recent>> replyTo) implements Command {}

  public record Recent(List<Interaction> interactions) implements CborSerializable {}

  /**
   * Recommend for this user: the actor hands its live history to this node's inference pool, which
   * answers {@code replyTo} directly (the actor does not wait for the model). Users with no item in
   * their history are answered NO_HISTORY at once.
   */
  public record Recommend(
      RecommendQuery query, long deadlineEpochMillis, ActorRef<RecommendOutcome> replyTo)
      implements Command {}

  /** Forget the user: its events and snapshots are deleted; replies when they are gone. */
  public record Forget(ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /**
   * Internal: the deletion behind a forget finished (replyTo is null when a recovery resumed it).
   */
  private record DeletionFinished(
      long upToSeqNr, ActorRef<StatusReply<Done>> replyTo, Throwable failure) implements Command {}

  public sealed interface Event extends CborSerializable {}

  /**
   * Events of one user recorded together (one Record command's new events): one journal entry for
   * the lot, because a journal row costs far more than an event's bytes (driver, plugin and
   * Cassandra work per row).
   */
  public record EventsRecorded(List<RecordedEvent> events) implements Event {}

  /**
   * Everything up to and including this event (sequence number {@code seqNr}) is to be deleted; the
   * state is empty from here on. The number travels in the event so that a recovery knows what to
   * finish deleting.
   */
  public record Forgotten(long at, long seqNr) implements Event {}

  /** The deletion that followed a {@link Forgotten} completed. */
  public record ForgetCompleted(long at) implements Event {}

  /**
   * What the snapshot store keeps: the features in their immutable snapshot form, and a forget
   * whose deletion is still pending (a snapshot can fall right on the Forgotten event; recovery
   * must still finish deleting).
   */
  public record UserSnapshot(UserFeatures.Snapshot features, long pendingDeletionUpTo)
      implements CborSerializable {}

  /**
   * Mutable by design (one actor owns it); snapshots go through {@link UserFeatures#toSnapshot()}.
   */
  public static final class State {
    UserFeatures features;

    /** Sequence number of a Forgotten whose deletion is not confirmed yet, or 0. */
    long pendingDeletionUpTo;

    /**
     * True for the {@link #emptyState()} object only. Akka keeps that one object for every restart
     * of the entity (the persist-failure backoff restarts it), so it is never changed: the event
     * handlers apply events to a fresh copy instead. Changed, it would carry events applied before
     * a failed write into the restart, where they would count as seen (a redelivery acknowledged as
     * a duplicate, never persisted) and be applied twice by the replay.
     */
    private final boolean template;

    State(UserFeatures features) {
      this(features, false);
    }

    private State(UserFeatures features, boolean template) {
      this.features = features;
      this.template = template;
    }

    public boolean isEmpty() {
      return features.totalEvents() == 0;
    }
  }

  /** Settings of the entity itself (the feature math has its own). */
  /**
   * @param outboxTags the journal tags of persisted events, for the feedback outbox ({@link
   *     OutboxTags#NONE}: untagged)
   */
  public record Settings(
      FeatureSettings features,
      int snapshotEvery,
      int keepSnapshots,
      PersistFailureBackoff persistFailure,
      OutboxTags outboxTags) {
    public Settings(FeatureSettings features, int snapshotEvery, int keepSnapshots) {
      this(features, snapshotEvery, keepSnapshots, PersistFailureBackoff.DEFAULT, OutboxTags.NONE);
    }
  }

  /**
   * How a user actor whose journal write failed (Cassandra down or overloaded) comes back:
   * restarted (recovering from the journal) after a backoff between {@code min} and {@code max}
   * with jitter, the commands that arrive meanwhile stashed. Akka's default would stop the actor,
   * and the next command would start it at once against the same struggling Cassandra.
   */
  public record PersistFailureBackoff(Duration min, Duration max, double randomFactor) {
    public static final PersistFailureBackoff DEFAULT =
        new PersistFailureBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2);

    BackoffSupervisorStrategy strategy() {
      return SupervisorStrategy.restartWithBackoff(min, max, randomFactor);
    }
  }

  // --- behaviour
  // ------------------------------------------------------------------------------------------

  private final ActorContext<Command> context;
  private final String userId;
  private final Settings settings;
  private final Clock clock;

  /** This node's inference pool; null where none runs (then every recommendation is NO_MODEL). */
  private final ActorRef<InferencePool.Command> pool;

  /** This node's consumers of persisted events (trending). */
  private final PersistedEvents persisted;

  /** Counts this user's journal failures (pulse_user_journal_failures_total). */
  private final PulseMetrics metrics;

  /**
   * Created on first forget: it binds to the Cassandra plugin, which the in-memory test journal
   * lacks.
   */
  private Cleanup cleanup;

  public static Behavior<Command> create(String userId, Settings settings, Clock clock) {
    return create(userId, settings, clock, null, PersistedEvents.NONE);
  }

  public static Behavior<Command> create(
      String userId,
      Settings settings,
      Clock clock,
      ActorRef<InferencePool.Command> pool,
      PersistedEvents persisted) {
    return Behaviors.setup(ctx -> new UserEntity(ctx, userId, settings, clock, pool, persisted));
  }

  private UserEntity(
      ActorContext<Command> context,
      String userId,
      Settings settings,
      Clock clock,
      ActorRef<InferencePool.Command> pool,
      PersistedEvents persisted) {
    super(PersistenceId.of(TYPE_KEY.name(), userId), settings.persistFailure().strategy());
    this.pool = pool;
    this.persisted = persisted;
    this.context = context;
    this.metrics = PulseMetrics.get(context.getSystem());
    this.userId = userId;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return new State(new UserFeatures(settings.features()), true);
  }

  /** {@code state}, or a fresh empty one in place of the template that must stay unchanged. */
  private State owned(State state) {
    return state.template ? new State(new UserFeatures(settings.features())) : state;
  }

  /** The user events a journal event holds: those of an {@link EventsRecorded}, else none. */
  public static List<RecordedEvent> recordedIn(Event event) {
    return event instanceof EventsRecorded r ? r.events() : List.of();
  }

  /** Recorded events go to the feedback outbox's tag; deletions and markers go nowhere. */
  @Override
  public Set<String> tagsFor(Event event) {
    return event instanceof EventsRecorded ? settings.outboxTags().of(userId) : Set.of();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // Snapshots bound recovery time; the journal keeps every event (features can be recomputed from
    // it).
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
  }

  @Override
  public SnapshotAdapter<State> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(State state) {
        // Runs in the actor: the copy is taken before the snapshot store serialises it
        // concurrently.
        return new UserSnapshot(state.features.toSnapshot(), state.pendingDeletionUpTo);
      }

      @Override
      public State fromJournal(Object from) {
        UserSnapshot snapshot = (UserSnapshot) from;
        State state = new State(UserFeatures.fromSnapshot(snapshot.features()));
        state.pendingDeletionUpTo = snapshot.pendingDeletionUpTo();
        return state;
      }
    };
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        // Only a journal failure (a persist, or the recovery's read) restarts a user actor: the
        // persist-failure backoff supervises nothing else.
        .onSignal(PreRestart.instance(), state -> metrics.userJournalFailed())
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              if (state.pendingDeletionUpTo > 0) {
                // A forget interrupted by a crash or a failed deletion: finish it.
                deleteUpTo(state.pendingDeletionUpTo, null);
              }
            })
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Record.class, this::onRecord)
        .onCommand(
            GetFeatures.class,
            (state, cmd) ->
                Effect()
                    .reply(
                        cmd.replyTo(),
                        StatusReply.success(
                            new Features(
                                state.isEmpty()
                                    ? Optional.empty()
                                    : Optional.of(
                                        state.features.view(
                                            cmd.atMillis() == null
                                                ? clock.millis()
                                                : cmd.atMillis()))))))
        .onCommand(
            GetRecent.class,
            (state, cmd) ->
                Effect()
                    .reply(
                        cmd.replyTo(),
                        StatusReply.success(
                            new Recent(List.copyOf(state.features.recentInteractions())))))
        // Events recorded while the deletion runs come after the Forgotten and survive it.
        .onCommand(
            Forget.class,
            (state, cmd) -> {
              long seqNr = lastSequenceNumber(context) + 1;
              return Effect()
                  .persist(new Forgotten(clock.millis(), seqNr))
                  .thenRun(s -> deleteUpTo(seqNr, cmd.replyTo()))
                  .thenNoReply();
            })
        .onCommand(Recommend.class, this::onRecommend)
        .onCommand(DeletionFinished.class, this::onDeletionFinished)
        .build();
  }

  private ReplyEffect<Event, State> onRecord(State state, Record cmd) {
    List<RecordedEvent> fresh = new ArrayList<>(cmd.events().size());
    Set<String> inThisBatch = new HashSet<>();
    for (RecordedEvent in : cmd.events()) {
      String id = in.event().eventId();
      if (!state.features.hasSeen(id) && inThisBatch.add(id)) {
        fresh.add(in);
      }
    }
    Recorded recorded = new Recorded(fresh.size(), cmd.events().size() - fresh.size());
    if (fresh.isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(recorded));
    }
    // Handed on here, once per persist, not by whoever asked: an ask that timed out after the write
    // must not
    // leave the event persisted but never published (its redelivery is a duplicate and persists
    // nothing).
    return Effect()
        .persist(new EventsRecorded(fresh))
        .thenRun(s -> persisted.persisted(fresh))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(recorded));
  }

  private ReplyEffect<Event, State> onRecommend(State state, Recommend cmd) {
    List<Interaction> history = state.features.recentInteractions();
    if (history.stream().noneMatch(i -> i.itemId() != null)) {
      return Effect()
          .reply(
              cmd.replyTo(),
              new RecommendOutcome.Unserved(
                  RecommendOutcome.Why.NO_HISTORY, "user " + userId + " has no interactions yet"));
    }
    if (pool == null) {
      return Effect()
          .reply(
              cmd.replyTo(),
              new RecommendOutcome.Unserved(
                  RecommendOutcome.Why.NO_MODEL, "no inference pool on this node"));
    }
    // The copy is the snapshot the model sees: every event persisted before this command is in it.
    pool.tell(
        new InferencePool.Recommend(
            cmd.query(), List.copyOf(history), cmd.deadlineEpochMillis(), cmd.replyTo()));
    return Effect().noReply();
  }

  private void deleteUpTo(long seqNr, ActorRef<StatusReply<Done>> replyTo) {
    String pid = persistenceId().id();
    if (cleanup == null) {
      cleanup = new Cleanup(context.getSystem());
    }
    var deletion =
        FutureConverters.asJava(cleanup.deleteEventsTo(pid, seqNr))
            .thenCompose(done -> FutureConverters.asJava(cleanup.deleteAllSnapshots(pid)))
            // The copies filed under the feedback outbox's tag go too.
            .thenCompose(done -> FutureConverters.asJava(cleanup.deleteAllTaggedEvents(pid)));
    context.pipeToSelf(deletion, (done, failure) -> new DeletionFinished(seqNr, replyTo, failure));
  }

  private ReplyEffect<Event, State> onDeletionFinished(State state, DeletionFinished done) {
    if (done.failure() != null) {
      context
          .getLog()
          .warn(
              "forgetting user {} failed; retried on its next start: {}",
              userId,
              done.failure().getMessage());
      if (done.replyTo() != null) {
        done.replyTo()
            .tell(
                StatusReply.error(
                    "could not delete the user's data: " + done.failure().getMessage()));
      }
      // Stop: the next command starts the user again, and its recovery retries the deletion.
      return Effect().stop().thenNoReply();
    }
    return Effect()
        .persist(new ForgetCompleted(clock.millis()))
        .thenRun(
            s -> {
              if (done.replyTo() != null) {
                done.replyTo().tell(StatusReply.ack());
              }
            })
        .thenNoReply();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            EventsRecorded.class,
            (current, e) -> {
              State state = owned(current);
              for (RecordedEvent in : e.events()) {
                state.features.apply(in.event(), in.categories());
              }
              return state;
            })
        .onEvent(
            Forgotten.class,
            (state, e) -> {
              State empty = new State(new UserFeatures(settings.features()));
              empty.pendingDeletionUpTo = e.seqNr();
              return empty;
            })
        .onEvent(
            ForgetCompleted.class,
            (current, e) -> {
              State state = owned(current);
              state.pendingDeletionUpTo = 0;
              return state;
            })
        .build();
  }
}
