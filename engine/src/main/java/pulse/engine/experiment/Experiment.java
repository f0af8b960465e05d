package pulse.engine.experiment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An experiment: users split by a stable hash into variants by weight, one of which is the control
 * the others are compared with.
 *
 * @param status running experiments assign users; a stopped one is kept for its figures
 * @param stoppedAt null while running
 */
public record Experiment(
    String name,
    List<Variant> variants,
    String control,
    Status status,
    Instant createdAt,
    Instant stoppedAt) {

  public enum Status {
    RUNNING,
    STOPPED
  }

  public Experiment {
    variants = List.copyOf(variants);
    if (variants.stream().noneMatch(v -> v.name().equals(control))) {
      throw new IllegalArgumentException("control " + control + " is not one of the variants");
    }
  }

  public boolean running() {
    return status == Status.RUNNING;
  }

  public Experiment stopped(Instant at) {
    return new Experiment(name, variants, control, Status.STOPPED, createdAt, at);
  }

  /** The variant this user is in. */
  public Variant variantOf(String userId) {
    return variants.get(Buckets.variantIndex(Buckets.of(name, userId), variants));
  }

  public Optional<Variant> variant(String variantName) {
    return variants.stream().filter(v -> v.name().equals(variantName)).findFirst();
  }
}
