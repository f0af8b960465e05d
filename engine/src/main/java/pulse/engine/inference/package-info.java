/**
 * Micro-batched inference: the pool ({@link InferencePool}) queues recommendation requests, cuts
 * batches by the {@link BatchingPolicy} and runs them on worker actors that call the encoder;
 * candidates are filtered with the {@link pulse.engine.catalog.CatalogIndex}. Answers are {@link
 * RecommendOutcome}s, which may cross nodes.
 *
 * <p>May import: {@code catalog} (the index), {@code metrics}, the ground floor, and model-runtime.
 */
package pulse.engine.inference;
