/**
 * Ground floor: the types every capability speaks. A validated {@link pulse.engine.event.UserEvent}
 * (its {@link pulse.engine.event.EventType} and {@link pulse.engine.event.EventContext}), an {@link
 * pulse.engine.event.Item} of the catalog, an {@link pulse.engine.event.Interaction} of a user's
 * history (the model's input), the {@link pulse.engine.event.RecordedEvent} a user actor persists,
 * and {@link pulse.engine.event.PersistedEvents}, the one road every persisted event takes out of
 * the actor.
 *
 * <p>Records carry explicit {@code @JsonProperty}/{@code @JsonCreator}: their wire names are part
 * of the persisted format (journal rows hold them inside each user's entries) and must not follow a
 * rename of a component.
 *
 * <p>May import: {@code common}.
 */
package pulse.engine.event;
