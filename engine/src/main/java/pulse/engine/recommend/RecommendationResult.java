package pulse.engine.recommend;

import java.util.List;
import pulse.engine.inference.RecommendOutcome.ScoredItem;

/**
 * One served list, as the HTTP API returns it.
 *
 * @param modelVersion   the version that ranked the items; null for a fallback
 * @param fallback       null when the model ranked them, else "trending"
 * @param fallbackReason why the model did not: no_history, no_model, timeout, model_error, no_candidates
 */
public record RecommendationResult(List<ScoredItem> items, String modelVersion, String fallback,
    String fallbackReason, double tookMs) {}
