package pulse.engine.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.Address;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.engine.event.EventType;
import pulse.engine.recommend.Trending.Scored;
import pulse.infra.PulseConfig;

/**
 * Two nodes of one cluster (two actor systems in this JVM, over Artery on 127.0.0.1): each serves
 * the other's events as trending items, and a node restarted at the same address carries on its
 * predecessor's share. Shares cross through the real serializers (Distributed Data's for the map,
 * Jackson CBOR for the shares), as the node binds them in conf/serialization.conf.
 */
class ClusterTrendingTest {
  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static final Config CONFIG =
      ConfigFactory.parseString(
              String.join(
                  "\n",
                  "akka.actor.provider = cluster",
                  "akka.remote.artery.canonical.hostname = \"127.0.0.1\"",
                  "akka.remote.artery.canonical.port = 0",
                  "akka.cluster.jmx.multi-mbeans-in-same-jvm = on",
                  // Replication in a few hundred ms rather than seconds, so the test is short.
                  "akka.cluster.distributed-data.gossip-interval = 300ms",
                  "akka.cluster.distributed-data.notify-subscribers-interval = 100ms",
                  "pulse.recommend.trending.publish-interval = 200ms",
                  "pulse.recommend.trending.seed-timeout = 3s"))
          .withFallback(
              ConfigFactory.parseFile(
                  PulseConfig.home().resolve("conf/serialization.conf").toFile()))
          .withFallback(ConfigFactory.load());

  private static Node a;
  private static Node b;

  /** One node: its actor system and the trending its fallback would read. */
  private record Node(ActorTestKit kit, MergedTrending trending) {
    static Node start(int port, Address seed) {
      ActorTestKit kit =
          ActorTestKit.create(
              "pulse",
              ConfigFactory.parseString("akka.remote.artery.canonical.port = " + port)
                  .withFallback(CONFIG));
      TrendingSettings settings = TrendingSettings.fromConfig(kit.system().settings().config());
      MergedTrending trending = new MergedTrending(settings);
      kit.spawn(
          ClusterTrending.create(trending, settings.sharing(), Clock.systemUTC()),
          "cluster-trending");
      Cluster cluster = Cluster.get(kit.system());
      cluster.manager().tell(Join.create(seed == null ? cluster.selfMember().address() : seed));
      return new Node(kit, trending);
    }

    Address address() {
      return Cluster.get(kit.system()).selfMember().address();
    }

    List<String> served() {
      return trending.view().top(100, null, null, System.currentTimeMillis()).stream()
          .map(Scored::itemId)
          .toList();
    }

    List<String> shared() {
      return trending.share(System.currentTimeMillis()).items().stream()
          .map(TrendingSnapshot.Item::itemId)
          .toList();
    }

    int membersUp() {
      int up = 0;
      for (Member m : Cluster.get(kit.system()).state().getMembers()) {
        up += m.status() == MemberStatus.up() ? 1 : 0;
      }
      return up;
    }
  }

  @BeforeAll
  static void formCluster() {
    a = Node.start(0, null);
    b = Node.start(0, a.address());
    await(() -> assertEquals(2, a.membersUp()));
  }

  @AfterAll
  static void stop() {
    b.kit().shutdownTestKit();
    a.kit().shutdownTestKit();
  }

  private static void await(Runnable assertion) {
    TestProbe<Void> probe = a.kit().createTestProbe();
    probe.awaitAssert(
        WITHIN,
        () -> {
          assertion.run();
          return null;
        });
  }

  @Test
  void eachNodeServesTheOthersEventsWithinSeconds() {
    long now = System.currentTimeMillis();
    a.trending().record("from-a", List.of("games"), EventType.PURCHASE, now);
    b.trending().record("from-b", List.of("books"), EventType.CLICK, now);
    await(
        () -> {
          assertTrue(b.served().contains("from-a"), "b serves " + b.served());
          assertTrue(a.served().contains("from-b"), "a serves " + a.served());
        });
    assertEquals(
        List.of("from-a"),
        b.trending().view().top(10, "games", null, now).stream().map(Scored::itemId).toList());
    assertFalse(b.shared().contains("from-a"), "b shares only what it counted itself");
  }

  @Test
  void aNodeRestartedAtTheSameAddressCarriesOnItsPredecessorsShare() {
    long now = System.currentTimeMillis();
    a.trending().record("counted-on-a", List.of(), EventType.VIEW, now);
    b.trending().record("counted-on-b", List.of(), EventType.PURCHASE, now);
    await(() -> assertTrue(a.served().contains("counted-on-b"), "a serves " + a.served()));

    int port = b.address().getPort().orElseThrow();
    b.kit().shutdownTestKit(); // leaves the cluster
    await(() -> assertEquals(1, a.membersUp()));
    assertTrue(a.served().contains("counted-on-b"), "a node that left still counts");

    b = Node.start(port, a.address());
    await(
        () -> {
          // Only seeding puts it there: a node never reads its own address's entry as a peer's.
          assertTrue(b.served().contains("counted-on-b"), "restarted b serves " + b.served());
          assertTrue(b.shared().contains("counted-on-b"), "restarted b shares " + b.shared());
          assertTrue(b.served().contains("counted-on-a"), "restarted b serves " + b.served());
        });
    assertTrue(a.served().contains("counted-on-b"));
  }

  @Test
  void theMapOfSharesSurvivesAkkasSerializers() {
    Serialization serialization = SerializationExtension.get(a.kit().system().classicSystem());
    SelfUniqueAddress self = DistributedData.get(a.kit().system()).selfUniqueAddress();
    TrendingSnapshot share =
        new TrendingSnapshot(
            1_700_000_000_000L,
            List.of(
                new TrendingSnapshot.Item("sku-1", 2.5, List.of("books", "gifts")),
                new TrendingSnapshot.Item("sku-2", -1e-3, List.of())));
    LWWMap<String, TrendingSnapshot> map =
        LWWMap.<String, TrendingSnapshot>create().put(self, "127.0.0.1:2551", share);
    assertEquals(share, roundTrip(serialization, share));
    assertEquals(map.getEntries(), roundTrip(serialization, map).getEntries());
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(Serialization serialization, T value) {
    Serializer serializer = serialization.findSerializerFor(value);
    byte[] bytes = serialization.serialize(value).get();
    return (T)
        serialization
            .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, value))
            .get();
  }
}
