package pulse.engine.versions;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import pulse.engine.inference.ServingModel;
import pulse.model.Device;
import pulse.model.delta.Checkpoint;
import pulse.model.delta.ModelDelta;

/**
 * Builds a model version from Cassandra: the newest good checkpoint at or before it, then the good
 * deltas that chain from there (each one's base is the version before), up to the target. Deltas on
 * an abandoned branch (rolled back) do not chain and are skipped. Blocking: run it on a blocking
 * dispatcher.
 */
public final class VersionLoader {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private VersionLoader() {}

  /** The loaded model and the stored version record it ends at. */
  public record Loaded(Checkpoint.Loaded model, VersionRecord head) {}

  /**
   * Loads {@code targetVersion}, or the head of the good chain when null; empty when nothing is
   * stored.
   */
  public static Optional<Loaded> load(
      ModelVersionStore store, String targetVersion, int threads, Device device) throws Exception {
    List<VersionRecord> history = get(store.history(10_000));
    long targetSeq = Long.MAX_VALUE;
    if (targetVersion != null) {
      targetSeq =
          history.stream()
              .filter(r -> r.version().equals(targetVersion))
              .mapToLong(VersionRecord::seq)
              .findFirst()
              .orElseThrow(
                  () -> new IllegalArgumentException("no stored model version " + targetVersion));
    }
    long bound = targetSeq;
    // A candidate (a canary) is loaded when asked for by name, never as the start of a chain.
    Optional<VersionRecord> checkpoint =
        history.stream()
            .filter(
                r ->
                    r.kind() == VersionKind.CHECKPOINT
                        && (r.status() == VersionStatus.GOOD
                            || (r.status() == VersionStatus.CANDIDATE
                                && r.version().equals(targetVersion)))
                        && r.seq() <= bound)
            .findFirst(); // history is newest first
    if (checkpoint.isEmpty()) {
      if (targetVersion != null) {
        throw new IllegalStateException("no good checkpoint at or before version " + targetVersion);
      }
      return Optional.empty();
    }
    Checkpoint.Loaded model =
        Checkpoint.fromBytes(get(store.load(checkpoint.get().version())), threads, device);
    VersionRecord head = checkpoint.get();
    try {
      for (VersionRecord d : get(store.deltasAfter(head.seq()))) {
        if (d.seq() > targetSeq
            || (targetVersion != null && head.version().equals(targetVersion))) {
          break;
        }
        if (!d.baseVersion().equals(head.version())) {
          continue; // another branch
        }
        ModelDelta.fromBytes(get(store.load(d.version()))).applyTo(model.model(), model.items());
        head = d;
      }
    } catch (Exception | Error e) {
      model.close();
      throw e;
    }
    if (targetVersion != null && !head.version().equals(targetVersion)) {
      model.close();
      throw new IllegalStateException(
          "version "
              + targetVersion
              + " does not chain from checkpoint "
              + checkpoint.get().version());
    }
    return Optional.of(
        new Loaded(new Checkpoint.Loaded(model.model(), model.items(), head.version()), head));
  }

  public static ServingModel serving(Loaded loaded) {
    return new ServingModel(
        loaded.head().version(), null, loaded.model().model(), loaded.model().items());
  }

  /**
   * {@link #serving}, warmed up first ({@link ServingModel#warmUp}, batches up to {@code
   * maxBatch}): a cold model's first calls take hundreds of ms, which neither the first users after
   * a start or a rollback nor a canary judged beside a warm control should pay. Blocking.
   */
  public static ServingModel warmServing(Loaded loaded, int maxBatch) {
    ServingModel model = serving(loaded);
    model.warmUp(maxBatch);
    return model;
  }

  public static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }
}
