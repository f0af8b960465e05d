package pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.engine.user.Events.DAY;
import static pulse.engine.user.Events.HOUR;
import static pulse.engine.user.Events.MINUTE;
import static pulse.engine.user.Events.T0;
import static pulse.engine.user.Events.event;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pulse.engine.event.EventType;
import pulse.engine.event.Interaction;
import pulse.engine.event.UserEvent;

class UserFeaturesTest {

  private static final List<String> JAZZ = List.of("jazz");

  private final UserFeatures features = new UserFeatures();

  @Test
  void aDuplicateEventIdChangesNothing() {
    UserEvent click = event("dup", EventType.CLICK, "i1", T0);
    assertTrue(features.apply(click, JAZZ));
    FeatureView before = features.view(T0 + MINUTE);
    UserFeatures.Snapshot snapshotBefore = features.toSnapshot();

    assertFalse(features.apply(click, JAZZ));
    assertFalse(
        features.apply(event("dup", EventType.PURCHASE, "other", T0 + 5 * MINUTE), JAZZ),
        "the id decides, not the content");
    assertEquals(before, features.view(T0 + MINUTE));
    assertEquals(snapshotBefore, features.toSnapshot());
  }

  @Test
  void lateEventsSkipWindowsAndSessionButEnterSequenceTotalsAndLateCount() {
    features.apply(event("a", EventType.VIEW, "i1", T0 + 2 * HOUR), JAZZ);
    features.apply(
        event("edge", EventType.VIEW, "i2", T0 + HOUR), JAZZ); // exactly the lateness: on time
    features.apply(
        event("late", EventType.VIEW, "i3", T0 + HOUR - 1), JAZZ); // 1 ms beyond it: late

    FeatureView v = features.view(T0 + 2 * HOUR);
    assertEquals(1, v.lateEvents());
    assertEquals(3, v.totalEvents());
    assertEquals(3L, v.totals().get(EventType.VIEW));
    assertEquals(2, v.window("24h").count(EventType.VIEW));
    assertEquals(List.of("i3", "i2", "i1"), v.recent().stream().map(Interaction::itemId).toList());
    // The on-time event 1 h before joins nothing (gap >= 30 min); the late one must not reopen
    // anything.
    assertEquals(new SessionView(T0 + 2 * HOUR, T0 + 2 * HOUR, 1, 1, 0), v.session());
  }

  @Test
  void outOfOrderEventsWithinTheLatenessCountInWindows() {
    features.apply(event(EventType.CLICK, T0 + 40 * MINUTE), JAZZ);
    features.apply(event(EventType.CLICK, T0 + 10 * MINUTE), JAZZ);
    FeatureView v = features.view(T0 + 40 * MINUTE);
    assertEquals(0, v.lateEvents());
    assertEquals(2, v.window("1h").count(EventType.CLICK));
    assertEquals(1, v.window("5m").count(EventType.CLICK));
  }

  @Test
  void ctrIsAbsentWithoutImpressionsAndExactWithThem() {
    features.apply(event(EventType.CLICK, T0), JAZZ);
    FeatureView noImpressions = features.view(T0);
    assertNull(noImpressions.clickThrough("1h").ctr());
    assertEquals(1, noImpressions.clickThrough("1h").clicks());

    for (int i = 0; i < 4; i++) {
      features.apply(event(EventType.IMPRESSION, T0 + 2 * HOUR), List.of());
    }
    features.apply(event(EventType.CLICK, T0 + 2 * HOUR), JAZZ);
    FeatureView v = features.view(T0 + 2 * HOUR);
    assertEquals(ClickThroughRate.of("1h", 4, 1), v.clickThrough("1h"));
    assertEquals(0.25, v.clickThrough("1h").ctr());
    assertEquals(0.5, v.clickThrough("24h").ctr());
  }

  @Test
  void recencyIsMeasuredFromTheLatestOfEachKind() {
    assertEquals(new RecencyView(null, null, null), features.view(T0).recency());
    features.apply(event(EventType.PURCHASE, T0), JAZZ);
    features.apply(event(EventType.CLICK, T0 + HOUR), JAZZ);
    features.apply(event(EventType.VIEW, T0 + 2 * HOUR), JAZZ);
    features.apply(event(EventType.CLICK, T0 + 30 * MINUTE), JAZZ); // older click: no change
    assertEquals(new RecencyView(HOUR, 2 * HOUR, 3 * HOUR), features.view(T0 + 3 * HOUR).recency());
    assertEquals(
        new RecencyView(0L, 0L, HOUR),
        features.view(T0 + HOUR).recency(),
        "future events count as now");
  }

  @Test
  void affinityUsesTheCatalogCategoriesAndTypeWeights() {
    features.apply(event(EventType.PURCHASE, T0), List.of("jazz", "vinyl"));
    features.apply(event(EventType.VIEW, T0), List.of("jazz"));
    features.apply(event(EventType.IMPRESSION, T0), List.of("pop")); // weight 0
    List<CategoryAffinity> top = features.view(T0 + HOUR).topCategories();
    assertEquals(List.of("jazz", "vinyl"), top.stream().map(CategoryAffinity::category).toList());
    assertEquals(3.0, top.get(0).shortTerm(), 1e-12);
    assertEquals(2.5, top.get(1).shortTerm(), 1e-12);
  }

  @Test
  void sequenceSkipsImpressionsAndSearchesAndCarriesCategories() {
    features.apply(event(EventType.IMPRESSION, T0), JAZZ);
    features.apply(event("s", EventType.SEARCH, null, T0 + 1), null);
    features.apply(event("v", EventType.VIEW, "i9", T0 + 2), JAZZ);
    assertEquals(
        List.of(new Interaction("i9", EventType.VIEW, T0 + 2, JAZZ)),
        features.recentInteractions());
  }

  @Test
  void dwellHourAndDeviceComeFromViews() {
    features.apply(Events.view("i1", T0 + 5 * HOUR, 1000, "ios"), JAZZ);
    features.apply(Events.view("i2", T0 + 5 * HOUR + 1, 2000, "web"), JAZZ);
    features.apply(event(EventType.CLICK, T0 + 6 * HOUR), JAZZ);
    FeatureView v = features.view(T0 + 6 * HOUR);
    assertEquals(1200.0, v.dwellEmaMillis(), 1e-9);
    assertEquals(2L, v.hourOfDay().get(5));
    assertEquals(1L, v.hourOfDay().get(6));
    assertEquals(Map.of("ios", 1L, "web", 1L), v.devices());
  }

  @Test
  void snapshotRoundTripIsExactAndBehavesTheSameAfterwards() {
    List<UserEvent> history = FeatureFixtures.mixedHistory(500, 42);
    for (UserEvent e : history) {
      features.apply(e, FeatureFixtures.categoriesOf(e.itemId()));
    }
    long now = FeatureFixtures.lastTime(history) + 7 * MINUTE;
    FeatureView original = features.view(now);
    assertTrue(original.lateEvents() > 0, "fixture must exercise late events");
    assertTrue(original.totalEvents() < history.size(), "fixture must exercise duplicates");
    assertTrue(original.session() != null && original.dwellEmaMillis() != null);
    UserFeatures.Snapshot snapshot = features.toSnapshot();
    UserFeatures restored = UserFeatures.fromSnapshot(snapshot);

    assertEquals(features.view(now), restored.view(now));
    assertEquals(snapshot, restored.toSnapshot());

    // Same future on both: same features (so no state was lost that only shows later).
    List<UserEvent> more =
        FeatureFixtures.mixedHistory(300, 7, FeatureFixtures.lastTime(history) - 2 * HOUR);
    for (UserEvent e : more) {
      List<String> cats = FeatureFixtures.categoriesOf(e.itemId());
      assertEquals(features.apply(e, cats), restored.apply(e, cats));
    }
    long later = FeatureFixtures.lastTime(more) + DAY;
    assertEquals(features.view(later), restored.view(later));
    assertEquals(features.toSnapshot(), restored.toSnapshot());
  }

  @Test
  void emptyAggregateRoundTrips() {
    UserFeatures restored = UserFeatures.fromSnapshot(features.toSnapshot());
    assertEquals(features.view(T0), restored.view(T0));
    assertEquals(features.toSnapshot(), restored.toSnapshot());
  }
}
