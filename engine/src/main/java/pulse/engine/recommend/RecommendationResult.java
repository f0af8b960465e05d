package pulse.engine.recommend;

import java.util.List;
import pulse.engine.inference.RecommendOutcome.ScoredItem;
import pulse.engine.metrics.PulseMetrics.FallbackReason;

/**
 * One served list, as the HTTP API returns it.
 *
 * @param modelVersion the version that ranked the items; null for a fallback
 * @param fallback null when the model ranked them, else "trending"
 * @param fallbackReason why the model did not; null when it did
 */
public record RecommendationResult(
    List<ScoredItem> items,
    String modelVersion,
    String fallback,
    FallbackReason fallbackReason,
    double tookMs) {}
