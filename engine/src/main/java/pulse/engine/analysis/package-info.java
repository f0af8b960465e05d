/**
 * What the cluster learns from its experiments: the {@link ExperimentAnalyst} (a cluster singleton
 * reading the feedback topic into per-variant totals, checkpointed in Cassandra) and the {@link
 * RolloutController} (a cluster singleton that runs canary rollouts on those totals: next step,
 * promotion through the learner, or rollback).
 *
 * <p>May import: {@code experiment}, {@code feedback}, {@code versions}, {@code metrics}, the
 * ground floor.
 */
package pulse.engine.analysis;
