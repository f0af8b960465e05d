package pulse.engine.experiment;

/**
 * The variant one request is served by.
 *
 * @param version the pinned model version; null unless the policy is pinned
 * @param forced a QA request that named its variant: answered as that variant, left out of the
 *     experiment's figures (its impressions carry no experiment)
 */
public record Assignment(
    String experiment, String variant, ServingPolicy policy, String version, boolean forced) {

  /**
   * Whether a list answered by {@code modelVersion} (null: the trending fallback) counts in the
   * experiment's figures. Not when forced, nor when the variant pins a version the node did not
   * hold yet so that the current model answered instead: counting it would judge a canary on
   * another model's answers. A fallback does count: a variant that fails to answer has failed.
   */
  public boolean counts(String modelVersion) {
    if (forced) {
      return false;
    }
    return policy != ServingPolicy.PINNED || modelVersion == null || modelVersion.equals(version);
  }
}
