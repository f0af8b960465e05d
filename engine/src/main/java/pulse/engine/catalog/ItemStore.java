package pulse.engine.catalog;

import akka.Done;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import pulse.engine.event.Item;

/**
 * Where the catalog's items live: one whole item per id; a write replaces every field of the item.
 */
public interface ItemStore {

  /** Completes when the item is durably written (or fails). */
  CompletionStage<Done> write(Item item);

  /** The item, or empty when no item has this id. */
  CompletionStage<Optional<Item>> read(String itemId);
}
