package pulse.engine.versions;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * What the learner says about a version it is about to store; the store adds what it learns from
 * the bytes (see {@link VersionRecord}).
 *
 * @param seq position in the model's history, strictly increasing; the store refuses a seq already
 *     taken
 * @param version the version's name (unique per model), e.g. the runtime's version id
 * @param baseVersion the version a delta or rollback builds on; null for a checkpoint that starts
 *     afresh
 * @param metrics prequential figures at publication, e.g. hr10, ndcg10, examples
 * @param kafkaOffsets input partition to the next offset not yet learned from, for a resume that
 *     neither learns an event twice nor skips one
 */
public record VersionMeta(
    long seq,
    String version,
    String baseVersion,
    VersionKind kind,
    Instant createdAt,
    VersionStatus status,
    Map<String, Double> metrics,
    Map<Integer, Long> kafkaOffsets) {

  public VersionMeta {
    if (seq < 0) {
      throw new IllegalArgumentException("seq must not be negative, was " + seq);
    }
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("a version needs a name");
    }
    if (kind == null || status == null || createdAt == null) {
      throw new IllegalArgumentException("kind, status and createdAt are required");
    }
    // Cassandra keeps milliseconds; truncating here makes what was stored equal what is read back.
    createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    kafkaOffsets = kafkaOffsets == null ? Map.of() : Map.copyOf(kafkaOffsets);
  }
}
