package pulse.engine.learning;

import java.util.List;
import java.util.concurrent.CompletionStage;
import pulse.engine.event.Interaction;

/**
 * Where the learner reads a user's recent interactions (oldest first) to rebuild a history it lost:
 * the user's entity. An interface so that the learner does not import the user package above it.
 */
@FunctionalInterface
public interface UserHistories {
  CompletionStage<List<Interaction>> recent(String userId);
}
