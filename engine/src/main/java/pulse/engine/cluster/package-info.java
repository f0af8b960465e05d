/**
 * How a node joins its cluster ({@link pulse.engine.cluster.ClusterFormation}).
 *
 * <p>May import: nothing of the engine.
 */
package pulse.engine.cluster;
