package pulse.http;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import pulse.engine.event.Item;
import pulse.model.RecommendRequest;
import pulse.model.SasRecModel;
import pulse.model.SequenceInput;
import pulse.model.data.ItemVocabulary;

/** What a node should answer, computed by calling the model directly with the node's exclusions. */
final class DirectTopK {
  private DirectTopK() {}

  /** Top-k for this history, excluding the history itself and the catalog's unavailable items. */
  static List<String> of(
      SasRecModel model, ItemVocabulary items, List<Item> catalog, List<String> history, int k) {
    int[] seq = history.stream().mapToInt(items::indexOf).filter(i -> i > 0).toArray();
    int[] unavailable =
        catalog.stream()
            .filter(i -> !i.available())
            .mapToInt(i -> items.indexOf(i.itemId()))
            .filter(i -> i > 0)
            .toArray();
    int[] exclude = IntStream.concat(IntStream.of(seq), IntStream.of(unavailable)).toArray();
    int[] top =
        model
            .recommend(List.of(new RecommendRequest(SequenceInput.of(seq), exclude, null)), k)
            .get(0)
            .items();
    List<String> ids = new ArrayList<>(top.length);
    for (int i : top) {
      ids.add(items.externalId(i));
    }
    return ids;
  }
}
