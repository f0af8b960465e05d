/**
 * Experiments: users split into variants by a stable hash ({@link Buckets}), the experiments kept
 * in Cassandra and in every node's memory ({@link Experiments}, {@link ExperimentStore}), the
 * attribution of clicks to served lists and the per-variant totals ({@link ListAttribution}, {@link
 * VariantTotals}), and the statistics of comparing two arms of live traffic: confidence intervals
 * for proportions, means and their differences ({@link ExperimentStats}), the alpha spent at each
 * planned look so that looking repeatedly does not inflate false alarms ({@link AlphaSpending}),
 * and a canary step's promote, hold or roll back verdict ({@link CanaryGate}). The statistics and
 * attribution are pure functions of counts: no actors, no I/O, so every verdict can be reproduced
 * from the figures it names.
 *
 * <p>May import: the ground floor ({@code common}, {@code health}, {@code storage}).
 */
package pulse.engine.experiment;
