package pulse.engine.event;

import java.util.List;
import pulse.engine.common.CborSerializable;

/**
 * A user event with the categories of its item as the catalog had them at ingest: what a user actor
 * persists (inside its journal entries) and what every consumer of persisted events receives.
 * Persisting the categories makes a replay of the journal give the same features whatever the
 * catalog says today.
 */
public record RecordedEvent(UserEvent event, List<String> categories) implements CborSerializable {}
