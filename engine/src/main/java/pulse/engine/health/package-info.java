/**
 * The node's readiness ({@link pulse.engine.health.Readiness}): whether it has joined the cluster
 * and reaches Cassandra, for {@code /ready}.
 *
 * <p>May import: {@code storage}.
 */
package pulse.engine.health;
