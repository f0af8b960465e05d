package pulse.engine.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VersionPruningTest {
  /** seq 1..n; every 5th (1, 6, 11, ...) a checkpoint, the rest deltas. */
  private static List<VersionRecord> history(int n) {
    List<VersionRecord> h = new ArrayList<>();
    for (int seq = 1; seq <= n; seq++) {
      h.add(record(seq, (seq - 1) % 5 == 0 ? VersionKind.CHECKPOINT : VersionKind.DELTA));
    }
    return h;
  }

  private static VersionRecord record(long seq, VersionKind kind) {
    return new VersionRecord(
        seq,
        "v" + seq,
        seq == 1 ? "v1" : "v" + (seq - 1), // the learner's first checkpoint names itself
        kind,
        Instant.EPOCH,
        VersionStatus.GOOD,
        null,
        null,
        1,
        1,
        "x");
  }

  private static List<Long> seqs(List<VersionRecord> records) {
    return records.stream().map(VersionRecord::seq).sorted().toList();
  }

  @Test
  void everythingOlderThanTheKthNewestGoodCheckpointGoes() {
    // checkpoints 1, 6, 11, 16; keep 2: from 11 on
    List<VersionRecord> gone = VersionPruning.toDelete(history(18), 2, Set.of());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), seqs(gone));
  }

  @Test
  void nothingGoesWhileThereAreFewerCheckpointsThanKept() {
    assertTrue(VersionPruning.toDelete(history(9), 3, Set.of()).isEmpty());
  }

  @Test
  void aServedOldVersionKeepsItsWholeChainBackToItsCheckpoint() {
    // v8 is served by a lagging node: it needs checkpoint 6 and delta 7 to be rebuilt
    List<VersionRecord> gone = VersionPruning.toDelete(history(18), 2, Set.of("v8"));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 9L, 10L), seqs(gone));
  }

  @Test
  void aRejectedOrRolledBackCheckpointDoesNotCountAsOneToKeep() {
    List<VersionRecord> h = new ArrayList<>(history(18));
    h.set(15, h.get(15).withStatus(VersionStatus.ROLLED_BACK)); // checkpoint 16
    // good checkpoints 11, 6 are the two newest: keep from 6
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(VersionPruning.toDelete(h, 2, Set.of())));
  }

  /** A canary candidate as Candidates stores it: a whole checkpoint with no base version. */
  private static VersionRecord candidate(long seq, VersionStatus status) {
    return new VersionRecord(
        seq, "c" + seq, null, VersionKind.CHECKPOINT, Instant.EPOCH, status, null, null, 1, 1, "x");
  }

  @Test
  void theNewestCandidatesStayWhateverTheirOutcomeAndKeepNothingElse() {
    List<VersionRecord> h = new ArrayList<>(history(18));
    // seqs 2, 3, 4 were reserved for candidates in place of deltas (the learner skips what it
    // reserved)
    h.set(1, candidate(2, VersionStatus.ROLLED_BACK));
    h.set(2, candidate(3, VersionStatus.ROLLED_BACK));
    h.set(3, candidate(4, VersionStatus.ROLLED_BACK));
    // keep 2 checkpoints (11, 16) and so the 2 newest candidates (c4, c3); c2 goes, and neither
    // kept candidate keeps checkpoint 1 or the deltas around it
    assertEquals(
        List.of(1L, 2L, 5L, 6L, 7L, 8L, 9L, 10L), seqs(VersionPruning.toDelete(h, 2, Set.of())));
    assertTrue(h.get(3).candidate() && !h.get(0).candidate() && !h.get(4).candidate());
  }

  @Test
  void aPinnedCandidateOlderThanTheNewestOnesStaysAlone() {
    List<VersionRecord> h = new ArrayList<>(history(18));
    h.set(1, candidate(2, VersionStatus.CANDIDATE));
    h.set(2, candidate(3, VersionStatus.ROLLED_BACK));
    h.set(3, candidate(4, VersionStatus.ROLLED_BACK));
    // c2 is older than the two newest candidates, but a running experiment pins it
    assertEquals(
        List.of(1L, 5L, 6L, 7L, 8L, 9L, 10L), seqs(VersionPruning.toDelete(h, 2, Set.of("c2"))));
  }

  @Test
  void keepingNoCheckpointIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> VersionPruning.toDelete(history(3), 0, Set.of()));
  }
}
