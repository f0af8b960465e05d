package pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import pulse.engine.event.EventType;
import pulse.engine.event.Item;
import pulse.engine.event.UserEvent;
import pulse.engine.ingest.BatchParseResult;
import pulse.engine.ingest.EventParser;
import pulse.engine.ingest.ItemParser;
import pulse.engine.ingest.ParseResult;

class SyntheticDataTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final SyntheticData.Spec SPEC =
      new SyntheticData.Spec(7, 500, 100, 10_000, NOW, Duration.ofDays(7));
  private static final SyntheticData.Dataset DATA = SyntheticData.generate(SPEC);
  private static final Map<String, Item> ITEMS =
      DATA.items().stream().collect(Collectors.toMap(Item::itemId, Function.identity()));
  private static final long SESSION_GAP_MS = Duration.ofMinutes(30).toMillis();

  @Test
  void theSameSpecGivesTheSameDataAndAnotherSeedOtherData() {
    assertEquals(DATA, SyntheticData.generate(SPEC));
    var other =
        SyntheticData.generate(
            new SyntheticData.Spec(8, 500, 100, 10_000, NOW, Duration.ofDays(7)));
    assertNotEquals(DATA.items(), other.items());
    assertNotEquals(DATA.events(), other.events());
  }

  @Test
  void theCatalogCoversTheTwelveCategoriesWithPricesAndSomeUnavailableItems() {
    assertEquals(500, DATA.items().size());
    assertEquals(500, ITEMS.size(), "ids are unique");
    assertEquals(12, SyntheticData.CATEGORIES.size());
    Set<String> used = new HashSet<>();
    DATA.items().forEach(i -> used.addAll(i.categories()));
    assertEquals(Set.copyOf(SyntheticData.CATEGORIES), used);
    long unavailable = DATA.items().stream().filter(i -> !i.available()).count();
    assertTrue(unavailable >= 15 && unavailable <= 75, unavailable + " unavailable");
    for (Item i : DATA.items()) {
      assertTrue(i.price() != null && i.price() > 0, i.toString());
      assertTrue(i.title() != null && i.title().startsWith(i.brand() + " "), i.toString());
      assertTrue(i.categories().size() >= 1 && i.categories().size() <= 2, i.toString());
    }
  }

  @Test
  void everyRenderedItemIsAcceptedAndReadsBackEqual() {
    ItemParser parser = new ItemParser();
    for (Item item : DATA.items()) {
      assertEquals(
          new ParseResult.Valid<>(item), parser.parse(WireJson.item(item)), WireJson.item(item));
    }
    var batch = parser.parseBatch(WireJson.items(DATA.items()));
    assertEquals(DATA.items(), ((BatchParseResult.PerElement<Item>) batch).validValues());
  }

  @Test
  void everyRenderedEventIsAcceptedByTheEventParserAndReadsBackEqual() {
    EventParser parser = new EventParser(Clock.fixed(NOW, ZoneOffset.UTC));
    for (UserEvent e : DATA.events()) {
      String json = WireJson.event(e);
      assertEquals(new ParseResult.Valid<>(e), parser.parse(json), json);
    }
    List<String> bodies = WireJson.eventBatches(DATA.events(), 1_000);
    assertEquals(10, bodies.size());
    List<UserEvent> back = new ArrayList<>();
    for (String body : bodies) {
      var batch = (BatchParseResult.PerElement<UserEvent>) parser.parseBatch(body);
      assertEquals(batch.results().size(), batch.validValues().size());
      back.addAll(batch.validValues());
    }
    assertEquals(DATA.events(), back);
  }

  @Test
  void exactlyTheRequestedEventsWithUniqueIdsInTimeOrderEndingNearNow() {
    List<UserEvent> events = DATA.events();
    assertEquals(10_000, events.size());
    assertEquals(10_000, events.stream().map(UserEvent::eventId).distinct().count());
    assertEquals(
        events.stream().sorted(Comparator.comparingLong(UserEvent::timestamp)).toList(), events);
    assertTrue(events.get(events.size() - 1).timestamp() <= NOW.toEpochMilli());
    Map<String, List<UserEvent>> byUser = byUser(events);
    assertEquals(100, byUser.size(), "every user has at least one event");
    long tenMinutesAgo = NOW.minus(Duration.ofMinutes(10)).toEpochMilli();
    byUser.forEach(
        (user, es) -> assertTrue(es.get(es.size() - 1).timestamp() >= tenMinutesAgo, user));
    long spanStart = NOW.minus(SPEC.span()).toEpochMilli();
    long within = events.stream().filter(e -> e.timestamp() >= spanStart).count();
    assertTrue(within > 0.9 * events.size(), within + " of the events fall within the span");
  }

  @Test
  void allSevenTypesInAPlausibleFunnel() {
    Map<EventType, Long> counts = new EnumMap<>(EventType.class);
    DATA.events().forEach(e -> counts.merge(e.type(), 1L, Long::sum));
    assertEquals(Set.of(EventType.values()), counts.keySet(), counts.toString());
    long impressions = counts.get(EventType.IMPRESSION);
    assertEquals(
        impressions,
        counts.values().stream().mapToLong(Long::longValue).max().orElseThrow(),
        "impressions are the commonest event: " + counts);
    assertTrue(counts.get(EventType.CLICK) < impressions / 3, counts.toString());
    assertTrue(counts.get(EventType.VIEW) >= counts.get(EventType.CLICK), counts.toString());
    assertTrue(counts.get(EventType.ADD_TO_CART) < counts.get(EventType.VIEW), counts.toString());
    assertTrue(
        counts.get(EventType.PURCHASE) <= counts.get(EventType.ADD_TO_CART), counts.toString());
    assertTrue(counts.get(EventType.RATING) <= counts.get(EventType.PURCHASE), counts.toString());
  }

  @Test
  void eachTypeCarriesTheFieldsItShould() {
    Set<String> devices = new HashSet<>();
    for (UserEvent e : DATA.events()) {
      assertTrue(
          e.context() != null && e.context().device() != null && e.context().locale() != null,
          e.toString());
      devices.add(e.device());
      switch (e.type()) {
        case SEARCH -> {
          assertNull(e.itemId());
          assertTrue(e.context().query() != null && !e.context().query().isBlank(), e.toString());
        }
        case VIEW -> assertTrue(e.value() >= 500 && e.value() <= 600_000, "dwell millis: " + e);
        case RATING ->
            assertTrue(
                e.value() >= 1 && e.value() <= 5 && e.value() == Math.rint(e.value()),
                e.toString());
        case ADD_TO_CART, PURCHASE -> {
          Item item = ITEMS.get(e.itemId());
          assertTrue(item.available(), "only available items are bought: " + e);
          assertEquals(item.price(), e.value());
        }
        case CLICK, IMPRESSION -> assertNull(e.value());
        default -> throw new AssertionError(e.toString());
      }
      if (e.type() != EventType.SEARCH) {
        assertTrue(ITEMS.containsKey(e.itemId()), "unknown item in " + e);
      }
    }
    assertEquals(Set.of("mobile", "desktop", "tablet"), devices);
  }

  @Test
  void usersBrowseInSessionsSeparatedByMoreThanHalfAnHour() {
    int breaks = 0;
    int multiSessionUsers = 0;
    for (List<UserEvent> es : byUser(DATA.events()).values()) {
      int userBreaks = 0;
      for (int i = 1; i < es.size(); i++) {
        long gap = es.get(i).timestamp() - es.get(i - 1).timestamp();
        assertTrue(gap > 0, "strictly increasing per user");
        // Never ambiguous: either clearly inside a session or clearly a new one.
        assertTrue(gap < SESSION_GAP_MS || gap >= Duration.ofMinutes(31).toMillis(), "gap " + gap);
        if (gap >= SESSION_GAP_MS) {
          userBreaks++;
        }
      }
      breaks += userBreaks;
      multiSessionUsers += userBreaks > 0 ? 1 : 0;
    }
    assertTrue(multiSessionUsers >= 70, multiSessionUsers + " users with more than one session");
    double eventsPerSession = DATA.events().size() / (double) (breaks + SPEC.userCount());
    assertTrue(
        eventsPerSession > 5 && eventsPerSession < 40, eventsPerSession + " events per session");
  }

  @Test
  void popularityIsSkewedLikeZipf() {
    Map<String, Long> perItem =
        DATA.events().stream()
            .filter(e -> e.itemId() != null)
            .collect(Collectors.groupingBy(UserEvent::itemId, Collectors.counting()));
    List<Long> sorted = perItem.values().stream().sorted(Comparator.reverseOrder()).toList();
    long total = sorted.stream().mapToLong(Long::longValue).sum();
    long top50 = sorted.stream().limit(50).mapToLong(Long::longValue).sum();
    assertTrue(
        top50 > 0.4 * total,
        "the top 10% of items have " + top50 + " of " + total + " item events");
    assertTrue(perItem.size() > 200, "the long tail is still seen: " + perItem.size() + " items");
  }

  @Test
  void eachUserLeansTowardsFewCategories() {
    double shareSum = 0;
    int users = 0;
    for (List<UserEvent> es : byUser(DATA.events()).values()) {
      Map<String, Integer> perCategory = new HashMap<>();
      int itemEvents = 0;
      for (UserEvent e : es) {
        if (e.itemId() != null) {
          perCategory.merge(ITEMS.get(e.itemId()).categories().get(0), 1, Integer::sum);
          itemEvents++;
        }
      }
      if (itemEvents >= 50) {
        shareSum +=
            perCategory.values().stream().mapToInt(Integer::intValue).max().orElseThrow()
                / (double) itemEvents;
        users++;
      }
    }
    assertTrue(users > 30);
    // With no preference the top category of 12 would hold about a tenth of a user's events.
    assertTrue(shareSum / users > 0.3, "mean top-category share " + shareSum / users);
  }

  private static Map<String, List<UserEvent>> byUser(List<UserEvent> events) {
    Map<String, List<UserEvent>> byUser = new HashMap<>();
    events.forEach(e -> byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e));
    return byUser;
  }
}
