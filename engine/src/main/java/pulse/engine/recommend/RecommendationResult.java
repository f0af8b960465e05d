package pulse.engine.recommend;

import java.util.List;
import pulse.engine.inference.RecommendOutcome.ScoredItem;
import pulse.engine.metrics.PulseMetrics.FallbackReason;

/**
 * One served list, as the HTTP API returns it.
 *
 * @param listId this answer's id: its impressions carry it, and a client may send it back with a
 *     click ({@code context.listId}) so the experiment metrics credit this list
 * @param modelVersion the version that ranked the items; null for a fallback
 * @param fallback null when the model ranked them, else "trending"
 * @param fallbackReason why the model did not; null when it did
 * @param experiment the running experiment the user is in; null when none runs
 * @param variant the user's variant in it; null when none runs
 */
public record RecommendationResult(
    String listId,
    List<ScoredItem> items,
    String modelVersion,
    String fallback,
    FallbackReason fallbackReason,
    double tookMs,
    String experiment,
    String variant) {}
