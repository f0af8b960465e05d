package pulse.engine.versions;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import pulse.model.Device;
import pulse.model.delta.Checkpoint;
import pulse.model.export.ModelDirectory;

/**
 * Stores an exported model (a {@code bin/pulse train --out} folder) as a candidate version for a
 * canary rollout: a whole checkpoint, status {@link VersionStatus#CANDIDATE}, under a sequence
 * number the learner reserved, so every node can load it by name from Cassandra and nothing treats
 * it as the chain's head before it is promoted. It is stored with no base version: that marks it a
 * candidate for good ({@link VersionRecord#candidate()}), whatever its status becomes. Blocking:
 * run it on a blocking dispatcher.
 */
public final class Candidates {
  private Candidates() {}

  /** Returns the stored version's name (the export's own). */
  public static String store(ModelVersionStore store, Path dir, long seq, int threads)
      throws Exception {
    try (ModelDirectory.Loaded m = ModelDirectory.load(dir, threads, Device.CPU)) {
      String version = m.manifest().modelVersion();
      if (VersionLoader.get(store.find(version)).isPresent()) {
        throw new IllegalArgumentException("model version " + version + " is stored already");
      }
      VersionLoader.get(
          store.append(
              new VersionMeta(
                  seq,
                  version,
                  null,
                  VersionKind.CHECKPOINT,
                  Instant.now(),
                  VersionStatus.CANDIDATE,
                  Map.of(),
                  Map.of()),
              Checkpoint.toBytes(m.model(), m.items(), version)));
      return version;
    }
  }
}
