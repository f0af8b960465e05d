package pulse.engine.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The categories of items, for the category features; an unknown item has none. */
@FunctionalInterface
public interface CategoryLookup {
  CompletionStage<Map<String, List<String>>> categoriesOf(Collection<String> itemIds);

  /** For nodes and tests without a catalog. */
  CategoryLookup NONE = ids -> CompletableFuture.completedFuture(Map.of());
}
