package pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.engine.user.Events.MINUTE;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.engine.event.UserEvent;

/**
 * The snapshot and events go through Akka's jackson-cbor serializer, and the view through JSON. The
 * mappers here are set up like Akka's defaults (Jdk8 + JavaTime modules), so a change to the
 * records' annotations or to the Jackson version (pinned to 2.15 in the parent pom; Akka alone
 * would bring 2.11) shows up here.
 */
class SnapshotSerializationTest {

  private static final ObjectMapper CBOR =
      new ObjectMapper(new CBORFactory())
          .registerModule(new Jdk8Module())
          .registerModule(new JavaTimeModule());
  private static final ObjectMapper JSON =
      new ObjectMapper().registerModule(new Jdk8Module()).registerModule(new JavaTimeModule());

  private static UserFeatures populated() {
    UserFeatures f = new UserFeatures();
    for (UserEvent e : FeatureFixtures.mixedHistory(400, 3)) {
      f.apply(e, FeatureFixtures.categoriesOf(e.itemId()));
    }
    return f;
  }

  @Test
  void snapshotSurvivesCborExactly() throws Exception {
    UserFeatures f = populated();
    UserFeatures.Snapshot snapshot = f.toSnapshot();
    byte[] bytes = CBOR.writeValueAsBytes(snapshot);
    UserFeatures.Snapshot back = CBOR.readValue(bytes, UserFeatures.Snapshot.class);
    assertEquals(snapshot, back);
    long now = FeatureFixtures.lastTime(FeatureFixtures.mixedHistory(400, 3)) + MINUTE;
    assertEquals(f.view(now), UserFeatures.fromSnapshot(back).view(now));
  }

  @Test
  void eventsSurviveCborExactly() throws Exception {
    for (UserEvent e : FeatureFixtures.mixedHistory(50, 9)) {
      assertEquals(e, CBOR.readValue(CBOR.writeValueAsBytes(e), UserEvent.class));
    }
  }

  @Test
  void viewSerialisesToJsonWithWireNamesAndWithoutNaN() throws Exception {
    UserFeatures f = populated();
    FeatureView view = f.view(Events.T0);
    String json = JSON.writeValueAsString(view);
    assertFalse(json.contains("NaN"));
    assertTrue(json.contains("\"add_to_cart\""), json);
    assertFalse(json.contains("ADD_TO_CART"), json);
    assertEquals(view, JSON.readValue(json, FeatureView.class));
  }

  @Test
  void ctrOfNoImpressionsIsOmittedOrNullInJson() throws Exception {
    String json = JSON.writeValueAsString(ClickThroughRate.of("1h", 0, 0));
    assertEquals("{\"window\":\"1h\",\"impressions\":0,\"clicks\":0,\"ctr\":null}", json);
    assertEquals(List.of(), new UserFeatures().view(0).topCategories());
  }
}
