/**
 * The node's metrics: Micrometer's Prometheus registry with the node's named meters in one place
 * ({@link PulseMetrics}, one per actor system), and the binders that bring the parts' own figures
 * into it: the Cassandra driver's session metrics ({@link CassandraDriverMetrics}), sharding
 * ({@link ShardingMetrics}); the JVM's come with the registry, the Kafka clients' with each client.
 *
 * <p>May import: nothing of the engine.
 */
package pulse.engine.metrics;
