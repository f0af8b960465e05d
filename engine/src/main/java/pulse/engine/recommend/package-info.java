/**
 * A recommendation end to end ({@link RecommendationService}): the user's actor builds the model's
 * input, an inference pool ranks, and {@link Trending} items answer whatever the model cannot.
 * Served lists are recorded as impressions through the same ingest road as every other event.
 *
 * <p>Trending is cluster-wide: each node counts the events it persists and shares its best items
 * ({@link TrendingSnapshot}) with the others over Akka Distributed Data ({@link ClusterTrending});
 * {@link MergedTrending} adds the others' shares to this node's count, and that is what the
 * fallback reads.
 *
 * <p>May import: {@code user}, {@code ingest}, {@code inference}, {@code catalog}, {@code metrics},
 * the ground floor.
 */
package pulse.engine.recommend;
