/**
 * Per-user behaviour features as plain, single-threaded logic for the user actor to wire: {@link
 * UserFeatures} applies events and answers {@link FeatureView}s; its {@link UserFeatures.Snapshot}
 * is the persistence snapshot.
 *
 * <p>All time is event time; "now" is always passed in, never read from a clock, so replays and
 * tests are deterministic. Lateness is measured against the user's watermark (latest event time
 * applied).
 *
 * <p>May import: {@code inference} (the pool a user actor hands its requests to), the ground floor.
 */
package pulse.engine.user;
