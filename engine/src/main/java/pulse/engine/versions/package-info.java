/**
 * Model versions: every version the learner made (checkpoint, delta or rollback) and its bytes in
 * Cassandra ({@link ModelVersionStore}, cassandra-schema/V005, verified by SHA-256 on load), their
 * names ({@link VersionName}), loading a chain of them ({@link VersionLoader}), the cluster topic
 * that announces them ({@link ModelUpdate}) and the follower that keeps each node's inference pool
 * on them ({@link ModelFollower}).
 *
 * <p>May import: {@code inference} (the pool the follower swaps into), {@code storage}, the ground
 * floor.
 */
package pulse.engine.versions;
