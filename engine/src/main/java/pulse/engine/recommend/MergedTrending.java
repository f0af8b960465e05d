package pulse.engine.recommend;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import pulse.engine.event.EventType;

/**
 * The cluster's trending items as this node serves them: this node's events, counted as they are
 * persisted, plus every other node's latest share. No actors here: {@link ClusterTrending} moves
 * the shares, this class keeps the sums.
 *
 * <p>Two aggregates: {@code own} holds what this node counted (what it publishes, so a peer never
 * gets its own events back), {@code view} the same events plus each peer's share (what it serves).
 * An event goes into both at once, so a node alone answers exactly as before. A peer's newer share
 * replaces its previous one in the view in one step ({@link Trending#replace}): the view moves by
 * the difference, never double-counts a peer, and never shows it half gone. Since shares are scores
 * as of a time and every node decays at the same rate, the view equals an aggregate fed every
 * node's events, up to each peer's share size and its last publish.
 *
 * <p>Shares are sums, so taking a contribution out is adding its negation: a forget would publish
 * the forgotten user's events as a negative share of its own (see the README).
 */
public final class MergedTrending {
  private final Trending own;
  private final Trending view;
  private final TrendingSettings.Sharing sharing;
  private final Object lock = new Object();
  private Map<String, TrendingSnapshot> peers = Map.of();

  public MergedTrending(TrendingSettings settings) {
    this.own = new Trending(settings);
    this.view = new Trending(settings);
    this.sharing = settings.sharing();
  }

  /** Counts one event persisted on this node: in this node's share, and in the view at once. */
  public void record(String itemId, List<String> categories, EventType type, long eventTimeMillis) {
    own.record(itemId, categories, type, eventTimeMillis);
    view.record(itemId, categories, type, eventTimeMillis);
  }

  /** What the fallback reads: this node's events and the peers' shares. */
  public Trending view() {
    return view;
  }

  /** This node's share as of {@code nowMillis}: what it publishes. */
  public TrendingSnapshot share(long nowMillis) {
    return own.snapshot(sharing.items(), sharing.perCategory(), nowMillis);
  }

  /**
   * Updates this node's own aggregate has taken: the same count as at the last publish means a new
   * share would say nothing new (its scores only decayed, which every reader computes itself).
   */
  public long ownChanges() {
    return own.changes();
  }

  /**
   * Carries on a previous incarnation's share (this node's address's, found in the cluster's map at
   * start) as this node's own, so that a restart takes nothing out of the cluster's view.
   */
  public void seed(TrendingSnapshot predecessor) {
    synchronized (lock) {
      own.replace(TrendingSnapshot.EMPTY, predecessor);
      view.replace(TrendingSnapshot.EMPTY, predecessor);
    }
  }

  /**
   * The peers' latest shares, by node (this node's own key left out): a new or changed share
   * replaces the previous one, a share no longer there is withdrawn.
   */
  public void peers(Map<String, TrendingSnapshot> latest) {
    synchronized (lock) {
      for (Map.Entry<String, TrendingSnapshot> e : latest.entrySet()) {
        TrendingSnapshot previous = peers.getOrDefault(e.getKey(), TrendingSnapshot.EMPTY);
        if (!Objects.equals(previous, e.getValue())) {
          view.replace(previous, e.getValue());
        }
      }
      for (Map.Entry<String, TrendingSnapshot> e : peers.entrySet()) {
        if (!latest.containsKey(e.getKey())) {
          view.replace(e.getValue(), TrendingSnapshot.EMPTY);
        }
      }
      peers = Map.copyOf(latest);
    }
  }
}
