package pulse.engine.recommend;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.engine.catalog.CatalogIndex;
import pulse.engine.event.EventContext;
import pulse.engine.event.EventType;
import pulse.engine.event.UserEvent;
import pulse.engine.experiment.Assignment;
import pulse.engine.experiment.Experiments;
import pulse.engine.experiment.ServedList;
import pulse.engine.experiment.ServingPolicy;
import pulse.engine.inference.RecommendOutcome;
import pulse.engine.inference.RecommendOutcome.Ranked;
import pulse.engine.inference.RecommendOutcome.ScoredItem;
import pulse.engine.inference.RecommendOutcome.Unserved;
import pulse.engine.inference.RecommendOutcome.Why;
import pulse.engine.inference.RecommendQuery;
import pulse.engine.ingest.EventIngest;
import pulse.engine.metrics.PulseMetrics.FallbackReason;
import pulse.engine.user.Users;

/**
 * A recommendation, end to end: the user's actor builds the model input from its live history, this
 * node's or that node's inference pool ranks, and whatever the model cannot answer (no history, no
 * model yet, a missed deadline, a failed call) is answered with the trending items instead (the
 * cluster's, as this node's {@link MergedTrending} view has them), never with an error. Only a full
 * inference queue is refused ({@link OverloadedException}, HTTP 503), because serving a fallback to
 * everyone under overload would hide the overload from the load balancer.
 *
 * <p>A running experiment decides how: the user's variant ({@link #assign}) serves trending items
 * without asking the actor, the current model, or a pinned version the pool holds beside it.
 *
 * <p>Every served list is recorded as impression events of that user (one per item), after the
 * answer, for the click-through features, for learning and for the experiment's figures (each
 * carries the list's id, experiment and variant); a failure to record is logged, not served.
 */
public final class RecommendationService {
  private static final Logger log = LoggerFactory.getLogger(RecommendationService.class);

  /** Observes outcomes for metrics. */
  @FunctionalInterface
  public interface Observer {
    Observer NONE = result -> {};

    void served(RecommendationResult result);
  }

  private final Users users;
  private final Experiments experiments;
  private final EventIngest ingest;
  private final CatalogIndex catalog;
  private final Trending trending;
  private final Clock clock;
  private final Duration deadline;
  private final Duration retryAfter;
  private final boolean recordImpressions;
  private final Observer observer;
  private final ShadowScorer shadows;

  /**
   * {@code ingest}: where the impressions of served lists go, the road every other event takes too;
   * {@code shadowLists}: where a shadow variant's lists go (the experiment analyst), null to score
   * no shadow.
   */
  public RecommendationService(
      Users users,
      Experiments experiments,
      EventIngest ingest,
      CatalogIndex catalog,
      Trending trending,
      Clock clock,
      Duration deadline,
      Duration retryAfter,
      boolean recordImpressions,
      Observer observer,
      Consumer<ServedList> shadowLists) {
    this.users = users;
    this.experiments = experiments;
    this.ingest = ingest;
    this.catalog = catalog;
    this.trending = trending;
    this.clock = clock;
    this.deadline = deadline;
    this.retryAfter = retryAfter;
    this.recordImpressions = recordImpressions;
    this.observer = observer;
    this.shadows =
        shadowLists == null
            ? null
            : new ShadowScorer(
                users, experiments, catalog::isAvailable, clock, deadline, shadowLists);
  }

  /**
   * The running experiment's variant for this user, if one runs. {@code forcedVariant} (QA; null
   * for none) names a variant to serve instead; {@link IllegalArgumentException} when there is no
   * such variant.
   */
  public Optional<Assignment> assign(String userId, String forcedVariant) {
    return experiments.assign(userId, forcedVariant);
  }

  /**
   * {@code startedNanos}: when the request arrived (System.nanoTime), for tookMs and the deadline;
   * {@code assignment}: from {@link #assign}.
   */
  public CompletionStage<RecommendationResult> recommend(
      RecommendQuery query, long startedNanos, Optional<Assignment> assignment) {
    String listId = UUID.randomUUID().toString();
    if (assignment.isPresent() && assignment.get().policy() == ServingPolicy.TRENDING) {
      return CompletableFuture.completedStage(
          served(
              query,
              fallback(query, FallbackReason.EXPERIMENT_VARIANT, startedNanos),
              listId,
              assignment));
    }
    long elapsedMillis = (System.nanoTime() - startedNanos) / 1_000_000;
    long deadlineAt = clock.millis() - elapsedMillis + deadline.toMillis();
    RecommendQuery asked =
        assignment
            .filter(a -> a.policy() == ServingPolicy.PINNED)
            .map(a -> query.withModelVersion(a.version()))
            .orElse(query);
    return users
        .recommend(asked, deadlineAt)
        .exceptionally(
            failure ->
                new Unserved(Why.TIMEOUT, "the user's actor did not answer in time: " + failure))
        .thenCompose(
            outcome -> {
              if (outcome instanceof Unserved u && u.why() == Why.REJECTED) {
                return CompletableFuture.failedStage(
                    new OverloadedException(u.detail(), retryAfter));
              }
              return CompletableFuture.completedStage(
                  served(query, answer(query, outcome, startedNanos), listId, assignment));
            });
  }

  /** Labels the answer with its list and variant, reports it, and records its impressions. */
  private RecommendationResult served(
      RecommendQuery query, Answer a, String listId, Optional<Assignment> assignment) {
    RecommendationResult result =
        new RecommendationResult(
            listId,
            a.items(),
            a.modelVersion(),
            a.modelVersion() == null ? "trending" : null,
            a.fallbackReason(),
            a.tookMs(),
            assignment.map(Assignment::experiment).orElse(null),
            assignment.map(Assignment::variant).orElse(null));
    observer.served(result);
    long servedAt = clock.millis();
    // A forced (QA) answer names no experiment, so the experiment's figures leave it out; so does
    // a list the variant did not serve (its pinned version was not loaded here yet): counting it
    // would judge a canary on the current model's answers.
    Optional<Assignment> counted = assignment.filter(x -> x.counts(result.modelVersion()));
    if (recordImpressions && !result.items().isEmpty()) {
      recordImpressions(query.userId(), result, counted, servedAt);
    }
    if (shadows != null && counted.isPresent() && !result.items().isEmpty()) {
      shadows.score(query, counted.get(), servedAt);
    }
    return result;
  }

  /** A list before it is labelled: the model's (with its version) or the fallback's. */
  private record Answer(
      List<ScoredItem> items, String modelVersion, FallbackReason fallbackReason, double tookMs) {}

  private Answer answer(RecommendQuery query, RecommendOutcome outcome, long startedNanos) {
    if (outcome instanceof Ranked ranked) {
      // The pool filtered with the catalog as it was when the batch ran; check again against now.
      List<ScoredItem> items = new ArrayList<>(ranked.items().size());
      for (ScoredItem item : ranked.items()) {
        if (eligible(item.itemId(), query.category())) {
          items.add(item);
        }
      }
      if (!items.isEmpty()) {
        return new Answer(items, ranked.modelVersion(), null, tookMs(startedNanos));
      }
      return fallback(query, FallbackReason.NO_CANDIDATES, startedNanos);
    }
    Unserved u = (Unserved) outcome;
    if (u.why() != Why.NO_HISTORY && u.why() != Why.NO_MODEL) {
      log.debug("trending fallback for {}: {}", query.userId(), u.detail());
    }
    return fallback(query, reasonFor(u.why()), startedNanos);
  }

  private static FallbackReason reasonFor(Why why) {
    return switch (why) {
      case NO_HISTORY -> FallbackReason.NO_HISTORY;
      case NO_MODEL -> FallbackReason.NO_MODEL;
      case TIMEOUT -> FallbackReason.TIMEOUT;
      case MODEL_ERROR -> FallbackReason.MODEL_ERROR;
      case REJECTED ->
          throw new IllegalArgumentException("a rejected request is refused, not answered");
    };
  }

  private Answer fallback(RecommendQuery query, FallbackReason reason, long startedNanos) {
    List<ScoredItem> items = new ArrayList<>(query.k());
    for (Trending.Scored s :
        trending.top(
            query.k(), query.category(), id -> eligible(id, query.category()), clock.millis())) {
      items.add(new ScoredItem(s.itemId(), s.score(), query.explain() ? List.of() : null));
    }
    return new Answer(items, null, reason, tookMs(startedNanos));
  }

  private boolean eligible(String itemId, String category) {
    return catalog.isAvailable(itemId)
        && (category == null || catalog.inCategory(itemId, category));
  }

  private void recordImpressions(
      String userId, RecommendationResult result, Optional<Assignment> counted, long now) {
    List<ScoredItem> items = result.items();
    EventContext context =
        new EventContext(
            null,
            null,
            null,
            null,
            result.listId(),
            counted.map(Assignment::experiment).orElse(null),
            counted.map(Assignment::variant).orElse(null),
            result.modelVersion() == null ? result.fallback() : result.modelVersion(),
            result.tookMs());
    List<UserEvent> impressions = new ArrayList<>(items.size());
    for (int rank = 0; rank < items.size(); rank++) {
      impressions.add(
          new UserEvent(
              "imp-" + result.listId() + "-" + rank,
              userId,
              items.get(rank).itemId(),
              EventType.IMPRESSION,
              now,
              (double) (rank + 1),
              context));
    }
    ingest
        .ingest(impressions)
        .thenAccept(
            outcomes ->
                outcomes.stream()
                    .filter(o -> !o.persisted())
                    .forEach(
                        o ->
                            log.warn(
                                "recording {} impressions for user {} failed: {}",
                                o.events().size(),
                                userId,
                                o.failure())));
  }

  private static double tookMs(long startedNanos) {
    return Math.round((System.nanoTime() - startedNanos) / 1e4) / 100.0;
  }
}
