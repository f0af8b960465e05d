/**
 * The item catalog: items in Cassandra ({@code items}, cassandra-schema/V004) behind a bounded,
 * expiring cache on each node ({@code pulse.catalog} in pulse/engine/catalog.conf). {@link
 * ItemCatalog} is the one entry point; the user actors ask it for an item's categories on every
 * event, so its cached path answers with an already completed stage and never touches Cassandra.
 *
 * <p>May import: {@code storage}, the ground floor.
 */
package pulse.engine.catalog;
