/**
 * Ground floor: the types every capability speaks. A validated {@link UserEvent} (its {@link
 * EventType} and {@link EventContext}), an {@link Item} of the catalog, an {@link Interaction} of a
 * user's history (the model's input), the {@link RecordedEvent} a user actor persists, and {@link
 * PersistedEvents}, the one road every persisted event takes out of the actor.
 *
 * <p>Records carry explicit {@code @JsonProperty}/{@code @JsonCreator}: their wire names are part
 * of the persisted format (journal rows hold them inside each user's entries) and must not follow a
 * rename of a component.
 *
 * <p>May import: {@code common}.
 */
package pulse.engine.event;
