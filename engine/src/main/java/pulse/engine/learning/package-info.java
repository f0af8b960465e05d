/**
 * The online learner ({@link OnlineLearner}, one per cluster) and its pure pieces.
 *
 * <ul>
 *   <li>{@link ExampleStream} turns persisted user events into next-item training {@link Example}s
 *       (positives from interactions, negatives from ignored impressions).
 *   <li>{@link PrequentialWindow} measures each example before the model trains on it
 *       (test-then-train HR@10 and NDCG@10 over a rolling window).
 *   <li>{@link Guardrail} judges each new version from those figures and the update's finiteness.
 *   <li>{@link LearnerCore} makes a version from a mini-batch of feedback.
 * </ul>
 *
 * <p>The pure classes take time as event time and are single-threaded; the one actor that owns each
 * instance is their only caller.
 *
 * <p>May import: {@code feedback}, {@code versions}, {@code inference} (model repository), {@code
 * metrics}, the ground floor, and model-runtime.
 */
package pulse.engine.learning;
