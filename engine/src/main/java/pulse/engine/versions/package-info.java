/**
 * Model versions: every version the learner made (checkpoint, delta or rollback) and its bytes in
 * Cassandra ({@link pulse.engine.versions.ModelVersionStore}, cassandra-schema/V005, verified by
 * SHA-256 on load), their names ({@link pulse.engine.versions.VersionName}), loading a chain of
 * them ({@link pulse.engine.versions.VersionLoader}), the cluster topic that announces them ({@link
 * pulse.engine.versions.ModelUpdate}) and the follower that keeps each node's inference pool on
 * them ({@link pulse.engine.versions.ModelFollower}).
 *
 * <p>May import: {@code inference} (the pool the follower swaps into), {@code storage}, the ground
 * floor.
 */
package pulse.engine.versions;
