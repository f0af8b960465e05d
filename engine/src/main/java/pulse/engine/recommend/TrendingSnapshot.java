package pulse.engine.recommend;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import pulse.engine.common.CborSerializable;

/**
 * A node's share of the cluster's trending items: its best items with their scores as of {@code
 * atMillis}, which is all another node needs to decay them on from there. The value each node
 * publishes under its host:port in the replicated map ({@link ClusterTrending}).
 *
 * <p>Scores are signed: an entry is a contribution to a sum, so a negative one withdraws (how a
 * forgotten user's events would leave the cluster's view).
 *
 * <p>Explicit {@code @JsonProperty}: these names cross nodes, and two versions of a node may run
 * side by side during a rolling upgrade.
 */
public record TrendingSnapshot(
    @JsonProperty("atMillis") long atMillis, @JsonProperty("items") List<Item> items)
    implements CborSerializable {

  /** Contributes nothing. */
  public static final TrendingSnapshot EMPTY = new TrendingSnapshot(0, List.of());

  @JsonCreator
  public TrendingSnapshot {
    items = items == null ? List.of() : List.copyOf(items);
  }

  /** One item, its score as of the snapshot's time, and its categories then. */
  public record Item(
      @JsonProperty("itemId") String itemId,
      @JsonProperty("score") double score,
      @JsonProperty("categories") List<String> categories) {

    @JsonCreator
    public Item {
      categories = categories == null ? List.of() : List.copyOf(categories);
    }
  }
}
