/**
 * The node's readiness ({@link Readiness}): whether it has joined the cluster and reaches
 * Cassandra, for {@code /ready}.
 *
 * <p>May import: {@code storage}.
 */
package pulse.engine.health;
