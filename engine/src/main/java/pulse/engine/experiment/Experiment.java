package pulse.engine.experiment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An experiment: users split by a stable hash into variants by weight, one of which is the control
 * the others are compared with.
 *
 * @param shadow null, or a variant no user is assigned to: it scores the same requests as the
 *     served variants and its lists are never shown, only ranked against the user's next action
 *     (online NDCG@10); its weight is not used
 * @param status running experiments assign users; a stopped one is kept for its figures
 * @param stoppedAt null while running
 */
public record Experiment(
    String name,
    List<Variant> variants,
    String control,
    Variant shadow,
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
    if (shadow != null) {
      if (shadow.policy() == ServingPolicy.TRENDING) {
        throw new IllegalArgumentException("a shadow variant scores a model: model or pinned");
      }
      if (variants.stream().anyMatch(v -> v.name().equals(shadow.name()))) {
        throw new IllegalArgumentException(
            "the shadow variant's name " + shadow.name() + " is a served variant's too");
      }
    }
  }

  /** The shadow variant, if any. */
  public Optional<Variant> shadowVariant() {
    return Optional.ofNullable(shadow);
  }

  /** Whether {@code variantName} is this experiment's shadow variant. */
  public boolean isShadow(String variantName) {
    return shadow != null && shadow.name().equals(variantName);
  }

  public boolean running() {
    return status == Status.RUNNING;
  }

  public Experiment stopped(Instant at) {
    return new Experiment(name, variants, control, shadow, Status.STOPPED, createdAt, at);
  }

  /** The variant this user is in. */
  public Variant variantOf(String userId) {
    return variants.get(Buckets.variantIndex(Buckets.of(name, userId), variants));
  }

  /** A served variant by name (never the shadow). */
  public Optional<Variant> variant(String variantName) {
    return variants.stream().filter(v -> v.name().equals(variantName)).findFirst();
  }
}
