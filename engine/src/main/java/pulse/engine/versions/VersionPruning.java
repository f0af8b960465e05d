package pulse.engine.versions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which stored versions may go: everything older than the {@code keepCheckpoints}-th newest good
 * checkpoint, except a version that is pinned (served by a node, a rollback target, an experiment
 * or canary variant) and what rebuilding it needs (the good checkpoint before it and every version
 * between). So a rollback to any of the kept checkpoints, or to anything after the oldest of them,
 * still works, and no node ever loses the chain of what it serves.
 *
 * <p>The {@code keepCheckpoints} newest canary candidates ({@link VersionRecord#candidate()}) stay
 * too, whatever their outcome: a rolled-back candidate is what an operator looks for in {@code GET
 * /v1/model} after a rollout, long after the learner has published past it. A candidate is a whole
 * model, so it keeps nothing but itself.
 */
public final class VersionPruning {
  private VersionPruning() {}

  /**
   * The versions of {@code history} (any order) to delete; none while fewer than {@code
   * keepCheckpoints} good checkpoints exist.
   */
  public static List<VersionRecord> toDelete(
      List<VersionRecord> history, int keepCheckpoints, Set<String> pinned) {
    if (keepCheckpoints < 1) {
      throw new IllegalArgumentException("keep at least one checkpoint, not " + keepCheckpoints);
    }
    List<VersionRecord> newestFirst =
        history.stream().sorted(Comparator.comparingLong(VersionRecord::seq).reversed()).toList();
    List<VersionRecord> goodCheckpoints =
        newestFirst.stream().filter(VersionPruning::isGoodCheckpoint).toList();
    if (goodCheckpoints.size() < keepCheckpoints) {
      return List.of();
    }
    long keepFrom = goodCheckpoints.get(keepCheckpoints - 1).seq();
    Set<Long> keptCandidates =
        newestFirst.stream()
            .filter(VersionRecord::candidate)
            .limit(keepCheckpoints)
            .map(VersionRecord::seq)
            .collect(Collectors.toSet());
    // Each pinned version older than keepFrom keeps itself back to the good checkpoint it builds
    // on.
    List<long[]> keptRanges = new ArrayList<>();
    for (VersionRecord r : newestFirst) {
      if (r.seq() < keepFrom && pinned.contains(r.version()) && !r.candidate()) {
        long base =
            newestFirst.stream()
                .filter(c -> c.seq() <= r.seq() && isGoodCheckpoint(c))
                .mapToLong(VersionRecord::seq)
                .findFirst()
                .orElse(Long.MIN_VALUE); // no checkpoint under it: keep all that is older
        keptRanges.add(new long[] {base, r.seq()});
      }
    }
    List<VersionRecord> delete = new ArrayList<>();
    for (VersionRecord r : newestFirst) {
      if (r.seq() >= keepFrom
          || keptCandidates.contains(r.seq())
          || (r.candidate() && pinned.contains(r.version()))) {
        continue;
      }
      boolean kept = keptRanges.stream().anyMatch(k -> r.seq() >= k[0] && r.seq() <= k[1]);
      if (!kept) {
        delete.add(r);
      }
    }
    return delete;
  }

  private static boolean isGoodCheckpoint(VersionRecord r) {
    return r.kind() == VersionKind.CHECKPOINT && r.status() == VersionStatus.GOOD;
  }
}
