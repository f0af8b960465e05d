package pulse.engine.experiment;

/**
 * The variant one request is served by.
 *
 * @param version the pinned model version; null unless the policy is pinned
 * @param forced a QA request that named its variant: answered as that variant, left out of the
 *     experiment's figures (its impressions carry no experiment)
 */
public record Assignment(
    String experiment, String variant, ServingPolicy policy, String version, boolean forced) {}
