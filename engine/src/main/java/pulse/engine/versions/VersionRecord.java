package pulse.engine.versions;

import java.time.Instant;
import java.util.Map;

/**
 * A stored model version: one row of model_versions. {@code chunks}, {@code bytes} and {@code
 * sha256} describe its blob in model_chunks.
 */
public record VersionRecord(
    long seq,
    String version,
    String baseVersion,
    VersionKind kind,
    Instant createdAt,
    VersionStatus status,
    Map<String, Double> metrics,
    Map<Integer, Long> kafkaOffsets,
    int chunks,
    long bytes,
    String sha256) {

  public VersionRecord {
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    kafkaOffsets = kafkaOffsets == null ? Map.of() : Map.copyOf(kafkaOffsets);
  }

  static VersionRecord of(VersionMeta meta, BlobChunks blob) {
    return new VersionRecord(
        meta.seq(),
        meta.version(),
        meta.baseVersion(),
        meta.kind(),
        meta.createdAt(),
        meta.status(),
        meta.metrics(),
        meta.kafkaOffsets(),
        blob.count(),
        blob.bytes(),
        blob.sha256());
  }

  /**
   * True for a model stored by {@link Candidates} for a canary rollout: a whole checkpoint with no
   * base version (the learner's checkpoints name one), whatever its status became (candidate, good
   * once promoted, rolled_back).
   */
  public boolean candidate() {
    return kind == VersionKind.CHECKPOINT && baseVersion == null;
  }

  public VersionRecord withStatus(VersionStatus newStatus) {
    return new VersionRecord(
        seq,
        version,
        baseVersion,
        kind,
        createdAt,
        newStatus,
        metrics,
        kafkaOffsets,
        chunks,
        bytes,
        sha256);
  }
}
