/**
 * The node's Cassandra session and keyspace ({@link CassandraStore}), shared by the catalog, the
 * model versions and the readiness check (the journal has its own, through Akka Persistence).
 *
 * <p>May import: nothing of the engine.
 */
package pulse.engine.storage;
