/**
 * Online learning's pure and storage pieces, for the learner actors to wire.
 *
 * <ul>
 *   <li>{@link pulse.engine.learning.ExampleStream} turns persisted user events into next-item training
 *       {@link pulse.engine.learning.Example}s (positives from interactions, negatives from ignored impressions).
 *   <li>{@link pulse.engine.learning.PrequentialWindow} measures each example before the model trains on it
 *       (test-then-train HR@10 and NDCG@10 over a rolling window).
 *   <li>{@link pulse.engine.learning.Guardrail} judges each new version from those figures and the update's
 *       finiteness.
 *   <li>{@link pulse.engine.versions.ModelVersionStore} keeps every version (checkpoint, delta or rollback) and its
 *       bytes in Cassandra (cassandra-schema/V005), verified by SHA-256 on load.
 * </ul>
 *
 * <p>Model bytes are opaque here: the model runtime writes and reads them. The pure classes take time as event
 * time and are single-threaded; the one actor that owns each instance is their only caller.
 */
package pulse.engine.learning;
