/**
 * The node's metrics: a small registry ({@link Metrics}) that writes the Prometheus text format
 * 0.0.4, and the node's named metrics in one place ({@link PulseMetrics}, one per actor system).
 * Written here rather than taken from a client library because counters, histograms and a scrape
 * are a few hundred lines, and a library would bring its own dependency tree into the node.
 *
 * <p>May import: nothing of the engine.
 */
package pulse.engine.metrics;
