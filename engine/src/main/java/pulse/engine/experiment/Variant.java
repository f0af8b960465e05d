package pulse.engine.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One arm of an experiment: its users are the buckets its weight gives it ({@link Buckets}).
 *
 * @param weight a positive integer; a variant's share is its weight over the sum of weights
 * @param version the stored model version a {@link ServingPolicy#PINNED} variant serves (null in a
 *     definition means the version served when the experiment starts, which {@link
 *     Experiments#create} fills in); null for the other policies
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Variant(String name, int weight, ServingPolicy policy, String version) {
  public Variant {
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be at least 1, was " + weight);
    }
    if (policy != ServingPolicy.PINNED && version != null) {
      throw new IllegalArgumentException("only a pinned variant names a version");
    }
  }

  public Variant(String name, int weight, ServingPolicy policy) {
    this(name, weight, policy, null);
  }

  Variant withVersion(String v) {
    return new Variant(name, weight, policy, v);
  }
}
