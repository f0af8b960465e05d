/**
 * The node's readiness for a load balancer ({@link Readiness}): cluster member Up, user shard
 * region registered, Cassandra answering, not draining; Kafka away only degrades. The HTTP {@code
 * /ready} and the management endpoint's readiness check ({@link PulseReadinessCheck}) answer from
 * it.
 *
 * <p>May import: {@code storage}, {@code metrics}, {@code common}.
 */
package pulse.engine.health;
