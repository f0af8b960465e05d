/**
 * How a node joins its cluster ({@link ClusterFormation}).
 *
 * <p>May import: nothing of the engine.
 */
package pulse.engine.cluster;
