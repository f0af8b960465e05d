package pulse.engine.catalog;

import akka.Done;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import pulse.engine.event.Item;
import pulse.engine.storage.PreparedOnce;

/**
 * Items in {@code <keyspace>.items} (cassandra-schema/V004), through the node's one Cassandra
 * session.
 *
 * <p>Reads and writes use LOCAL_QUORUM: an upsert that was answered is then visible to a read from
 * any node of the data centre (with a replication factor above 1 a LOCAL_ONE read could still find
 * an older replica). Both statements are idempotent (a write carries the whole item), so the driver
 * may retry them.
 */
public final class CassandraItemStore implements ItemStore {
  private static final DefaultConsistencyLevel CONSISTENCY = DefaultConsistencyLevel.LOCAL_QUORUM;

  private final CassandraSession session;
  private final Clock clock;
  private final PreparedOnce insert;
  private final PreparedOnce select;

  public CassandraItemStore(CassandraSession session, String keyspace, Clock clock) {
    this.session = session;
    this.clock = clock;
    this.insert =
        new PreparedOnce(
            session,
            "INSERT INTO "
                + keyspace
                + ".items"
                + " (item_id, title, categories, brand, price, available, attributes, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    this.select =
        new PreparedOnce(
            session,
            "SELECT item_id, title, categories, brand, price, available, attributes"
                + " FROM "
                + keyspace
                + ".items WHERE item_id = ?");
  }

  @Override
  public CompletionStage<Done> write(Item item) {
    // Absent title/brand/price are written as null on purpose: an upsert replaces the item, so a
    // field the client
    // dropped must not survive from the previous version.
    return insert
        .get()
        .thenCompose(
            ps -> {
              BoundStatement bound =
                  ps.bind(
                          item.itemId(),
                          item.title(),
                          item.categories(),
                          item.brand(),
                          item.price(),
                          item.available(),
                          item.attributes(),
                          clock.instant())
                      .setConsistencyLevel(CONSISTENCY)
                      .setIdempotent(true);
              return session.executeWrite(bound);
            });
  }

  @Override
  public CompletionStage<Optional<Item>> read(String itemId) {
    return select
        .get()
        .thenCompose(
            ps ->
                session.selectOne(
                    ps.bind(itemId).setConsistencyLevel(CONSISTENCY).setIdempotent(true)))
        .thenApply(row -> row.map(CassandraItemStore::toItem));
  }

  private static Item toItem(Row row) {
    return new Item(
        row.getString("item_id"),
        row.getString("title"),
        // An empty collection is stored as no cells at all and reads back as an empty list/map.
        row.getList("categories", String.class),
        row.getString("brand"),
        row.isNull("price") ? null : row.getDouble("price"),
        row.isNull("available") || row.getBoolean("available"),
        row.getMap("attributes", String.class, String.class));
  }
}
