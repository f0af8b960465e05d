package pulse.engine.recommend;

import akka.actor.Address;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.ddata.Key;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.LWWMapKey;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.ddata.typed.javadsl.Replicator.Changed;
import akka.cluster.ddata.typed.javadsl.Replicator.GetFailure;
import akka.cluster.ddata.typed.javadsl.Replicator.GetResponse;
import akka.cluster.ddata.typed.javadsl.Replicator.GetSuccess;
import akka.cluster.ddata.typed.javadsl.Replicator.ReadConsistency;
import akka.cluster.ddata.typed.javadsl.Replicator.ReadMajority;
import akka.cluster.ddata.typed.javadsl.Replicator.SubscribeResponse;
import akka.cluster.ddata.typed.javadsl.Replicator.UpdateResponse;
import akka.cluster.ddata.typed.javadsl.Replicator.UpdateSuccess;
import akka.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.SelfUp;
import akka.cluster.typed.Subscribe;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares this node's trending items with every other node, so that each answers the fallback with
 * the cluster's: one replicated map (Akka Distributed Data, an {@link LWWMap}) with one entry per
 * node, keyed by its host:port, holding its latest {@link TrendingSnapshot share}. Each node writes
 * only its own entry, every {@code publish-interval} when it changed, locally; gossip spreads it,
 * and every node's subscription adds the others' entries to its {@link MergedTrending} view.
 *
 * <p>The key leaves out the incarnation's uid on purpose: a restarted node finds its predecessor's
 * entry under its own key and, before it publishes anything, carries it on as its own ({@link
 * MergedTrending#seed}), read from a majority of nodes (its own replica is empty at start), then
 * replaces it with every publish. A crashed node's entry simply stays until its successor does so;
 * one not published for {@code drop-node-after} is removed by whichever node notices.
 */
public final class ClusterTrending {
  private ClusterTrending() {}

  /** The cluster's shares, one per node address. */
  static final Key<LWWMap<String, TrendingSnapshot>> KEY = LWWMapKey.create("pulse-trending");

  public sealed interface Command {}

  private record Joined() implements Command {}

  private record Read(GetResponse<LWWMap<String, TrendingSnapshot>> response) implements Command {}

  private record Publish() implements Command {}

  private record Published(UpdateResponse<LWWMap<String, TrendingSnapshot>> response)
      implements Command {}

  private record SharesChanged(SubscribeResponse<LWWMap<String, TrendingSnapshot>> response)
      implements Command {}

  public static Behavior<Command> create(
      MergedTrending trending, TrendingSettings.Sharing sharing, Clock clock) {
    return Behaviors.setup(
        ctx ->
            DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, LWWMap<String, TrendingSnapshot>> replicator) ->
                    Behaviors.withTimers(
                        timers ->
                            new Node(ctx, replicator, timers, trending, sharing, clock)
                                .starting())));
  }

  /** The entry's key: the same for every incarnation at one address, unlike the unique address. */
  static String entryKey(Address address) {
    return address.getHost().orElse("") + ":" + address.getPort().map(String::valueOf).orElse("");
  }

  private static final class Node {
    private final ActorContext<Command> ctx;
    private final ReplicatorMessageAdapter<Command, LWWMap<String, TrendingSnapshot>> replicator;
    private final TimerScheduler<Command> timers;
    private final MergedTrending trending;
    private final TrendingSettings.Sharing sharing;
    private final Clock clock;
    private final SelfUniqueAddress node;
    private final String self;
    private Map<String, TrendingSnapshot> shares = Map.of();
    private long publishedChanges;
    private boolean readLocally;

    Node(
        ActorContext<Command> ctx,
        ReplicatorMessageAdapter<Command, LWWMap<String, TrendingSnapshot>> replicator,
        TimerScheduler<Command> timers,
        MergedTrending trending,
        TrendingSettings.Sharing sharing,
        Clock clock) {
      this.ctx = ctx;
      this.replicator = replicator;
      this.timers = timers;
      this.trending = trending;
      this.sharing = sharing;
      this.clock = clock;
      this.node = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
      this.self = entryKey(Cluster.get(ctx.getSystem()).selfMember().address());
    }

    /**
     * Until this node is Up and has read its predecessor's entry: the peers' entries are taken as
     * they come, nothing is published. The read waits for Up because until then the replicator
     * knows no other node, and a majority of none is this node's empty replica.
     */
    Behavior<Command> starting() {
      replicator.subscribe(KEY, SharesChanged::new);
      Cluster.get(ctx.getSystem())
          .subscriptions()
          .tell(
              Subscribe.create(ctx.messageAdapter(SelfUp.class, up -> new Joined()), SelfUp.class));
      return Behaviors.receive(Command.class)
          .onMessage(SharesChanged.class, this::onSharesChanged)
          .onMessage(
              Joined.class,
              msg -> {
                read(new ReadMajority(sharing.seedTimeout()));
                return Behaviors.same();
              })
          .onMessage(Read.class, this::onRead)
          .build();
    }

    private Behavior<Command> publishing() {
      return Behaviors.receive(Command.class)
          .onMessage(SharesChanged.class, this::onSharesChanged)
          .onMessage(
              Publish.class,
              msg -> {
                publish();
                return Behaviors.same();
              })
          .onMessage(Published.class, this::onPublished)
          .build();
    }

    private void read(ReadConsistency consistency) {
      replicator.askGet(replyTo -> new Replicator.Get<>(KEY, consistency, replyTo), Read::new);
    }

    private Behavior<Command> onRead(Read msg) {
      if (msg.response() instanceof GetFailure<?> && !readLocally) {
        ctx.getLog()
            .info(
                "trending: no majority answered within {}; seeding from this node's replica",
                sharing.seedTimeout());
        readLocally = true;
        read(Replicator.readLocal());
        return Behaviors.same();
      }
      if (msg.response() instanceof GetSuccess<LWWMap<String, TrendingSnapshot>> found) {
        TrendingSnapshot predecessor = found.get(KEY).getEntries().get(self);
        if (predecessor != null) {
          trending.seed(predecessor);
          ctx.getLog()
              .info(
                  "trending: carried on {} items {} shared {} ms ago",
                  predecessor.items().size(),
                  self,
                  clock.millis() - predecessor.atMillis());
        }
      }
      // NotFound: nothing shared yet in this cluster. A local read that failed too: start afresh.
      timers.startTimerWithFixedDelay(new Publish(), sharing.publishInterval());
      publish();
      return publishing();
    }

    private Behavior<Command> onSharesChanged(SharesChanged msg) {
      if (msg.response() instanceof Changed<LWWMap<String, TrendingSnapshot>> changed) {
        shares = new HashMap<>(changed.get(KEY).getEntries());
        Map<String, TrendingSnapshot> peers = new HashMap<>(shares);
        // Never this node's own entry: its events are in the view already (and at start the
        // entry is a predecessor's, which seeding carries on).
        peers.remove(self);
        trending.peers(peers);
      }
      return Behaviors.same();
    }

    /**
     * Writes this node's share when it changed since the last publish, and removes the entries of
     * nodes silent for {@code drop-node-after}. Locally: gossip spreads it, and a write to a
     * majority would only make a publish wait on the slowest node.
     */
    private void publish() {
      long now = clock.millis();
      long staleBefore = now - sharing.dropAfter().toMillis();
      List<String> stale =
          shares.entrySet().stream()
              .filter(e -> !e.getKey().equals(self) && e.getValue().atMillis() < staleBefore)
              .map(Map.Entry::getKey)
              .toList();
      long changes = trending.ownChanges();
      if (changes == publishedChanges && stale.isEmpty()) {
        return;
      }
      TrendingSnapshot share = changes == publishedChanges ? null : trending.share(now);
      publishedChanges = changes;
      replicator.askUpdate(
          replyTo ->
              new Replicator.Update<LWWMap<String, TrendingSnapshot>>(
                  KEY,
                  LWWMap.create(),
                  Replicator.writeLocal(),
                  replyTo,
                  map -> {
                    LWWMap<String, TrendingSnapshot> updated = map;
                    for (String gone : stale) {
                      updated = updated.remove(node, gone);
                    }
                    return share == null ? updated : updated.put(node, self, share);
                  }),
          Published::new);
      if (!stale.isEmpty()) {
        ctx.getLog()
            .info(
                "trending: removed the shares of {}, silent for over {}",
                stale,
                sharing.dropAfter());
      }
    }

    private Behavior<Command> onPublished(Published msg) {
      if (!(msg.response() instanceof UpdateSuccess<?>)) {
        // The next change is published anyway; a failed local write means a broken replicator.
        ctx.getLog().warn("trending: publishing this node's share failed: {}", msg.response());
        publishedChanges = -1;
      }
      return Behaviors.same();
    }
  }
}
