package pulse.engine.recommend;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import pulse.engine.experiment.Assignment;
import pulse.engine.experiment.Experiment;
import pulse.engine.experiment.Experiments;
import pulse.engine.experiment.ServedList;
import pulse.engine.experiment.ServingPolicy;
import pulse.engine.experiment.Variant;
import pulse.engine.inference.RecommendOutcome.Ranked;
import pulse.engine.inference.RecommendOutcome.ScoredItem;
import pulse.engine.inference.RecommendQuery;
import pulse.engine.user.Users;

/**
 * Scores a running experiment's shadow variant on a request that a served variant answered: the
 * same user, k, category and exclusions, ranked by the shadow's model (the version every node
 * serves now, or a pinned one), never shown. The list goes to the experiment analyst, which ranks
 * the user's next action in it (online NDCG@10).
 *
 * <p>Off the answer's path: it starts once the answer is on its way. A shadow that fails, misses
 * its deadline or whose pinned version this node does not hold yet is skipped, so its figures count
 * only the lists its own model made. It costs one more trip through the user's actor and one more
 * encoder row (in its own slice of a batch) per served request of the experiment.
 */
final class ShadowScorer {
  private final Users users;
  private final Experiments experiments;
  private final Predicate<String> eligible;
  private final Clock clock;
  private final Duration deadline;
  private final Consumer<ServedList> sink;

  /** {@code eligible}: whether an item may be listed now (available, ignoring categories). */
  ShadowScorer(
      Users users,
      Experiments experiments,
      Predicate<String> eligible,
      Clock clock,
      Duration deadline,
      Consumer<ServedList> sink) {
    this.users = users;
    this.experiments = experiments;
    this.eligible = eligible;
    this.clock = clock;
    this.deadline = deadline;
    this.sink = sink;
  }

  /**
   * {@code served}: the query the user was answered for, {@code assignment} its counted variant,
   * {@code servedAt} when its list was served (epoch millis; the shadow list's time too).
   */
  void score(RecommendQuery served, Assignment assignment, long servedAt) {
    Optional<Variant> shadow =
        experiments
            .get(assignment.experiment())
            .filter(Experiment::running)
            .flatMap(Experiment::shadowVariant);
    if (shadow.isEmpty()) {
      return;
    }
    Variant v = shadow.get();
    String pinned = v.policy() == ServingPolicy.PINNED ? v.version() : null;
    RecommendQuery query =
        new RecommendQuery(
                served.userId(), served.k(), served.excludeSeen(), served.category(), false)
            .withModelVersion(pinned);
    long started = System.nanoTime();
    users
        .recommend(query, clock.millis() + deadline.toMillis())
        .thenAccept(
            outcome -> {
              if (!(outcome instanceof Ranked ranked)
                  || (pinned != null && !pinned.equals(ranked.modelVersion()))) {
                return;
              }
              List<String> items =
                  ranked.items().stream().map(ScoredItem::itemId).filter(eligible).toList();
              if (!items.isEmpty()) {
                sink.accept(
                    new ServedList(
                        query.userId(),
                        UUID.randomUUID().toString(),
                        assignment.experiment(),
                        v.name(),
                        items,
                        servedAt,
                        false,
                        (System.nanoTime() - started) / 1e6,
                        true));
              }
            });
  }
}
