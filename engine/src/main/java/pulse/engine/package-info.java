/**
 * The engine of one node. {@link PulseEngine} is the composition root: it starts the capabilities
 * below in one order and is the only place they are wired to each other.
 *
 * <p>Floors, top down; a package imports only from floors below its own (no cycles):
 *
 * <ol>
 *   <li>{@code pulse.engine}: the composition root.
 *   <li>{@code recommend}, {@code learning}: answering requests; learning from feedback.
 *   <li>{@code ingest}, {@code versions}, {@code feedback}: events into the user actors; stored
 *       model versions and the follower that serves them; the feedback topic.
 *   <li>{@code user}: the sharded, event-sourced user actors.
 *   <li>{@code inference}, {@code catalog}, {@code experiment}: the micro-batched encoder; the item
 *       catalog and its index; the experiments users are assigned to, and their statistics.
 *   <li>{@code event}, {@code common}, {@code metrics}, {@code storage}, {@code health}, {@code
 *       cluster}: the ground floor of shared types and plumbing, importing nothing of the engine
 *       but each other's ground floor.
 * </ol>
 */
package pulse.engine;
