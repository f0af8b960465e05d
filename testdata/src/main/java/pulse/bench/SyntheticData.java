package pulse.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import pulse.engine.event.EventContext;
import pulse.engine.event.EventType;
import pulse.engine.event.Item;
import pulse.engine.event.UserEvent;

/**
 * A small shop the project makes up itself, for {@code bin/pulse demo} and tests: a catalog in 12
 * categories and a stream of user behaviour ending near a given instant. The same {@link Spec}
 * always gives the same data.
 *
 * <p>What makes the behaviour realistic enough to show features: item popularity follows Zipf's
 * law; each user prefers one to three categories and picks from them most of the time; users differ
 * in how active they are (log-normal); users browse in sessions (steps a few seconds to five
 * minutes apart, sessions at least 31 minutes apart, so the 30-minute session rule sees real
 * breaks); a session is impressions, some of which are clicked (more often in a preferred
 * category), a click leads to a view with a dwell time, some views to the cart, some carts to a
 * purchase, some purchases to a rating; some sessions start with a search.
 */
public final class SyntheticData {

  /**
   * @param seed everything random derives from it
   * @param itemCount catalog size
   * @param userCount users, {@code user-0001} ...
   * @param eventCount events in total (at least one per user), exactly
   * @param now every event is at or before it, and each user's last event within 10 minutes of it
   * @param span about how far back an average user's history reaches
   */
  public record Spec(
      long seed, int itemCount, int userCount, int eventCount, Instant now, Duration span) {
    public Spec {
      if (itemCount < 1
          || userCount < 1
          || eventCount < userCount
          || span.isNegative()
          || span.isZero()) {
        throw new IllegalArgumentException(
            "need items >= 1, users >= 1, events >= users and a positive span: "
                + itemCount
                + " items, "
                + userCount
                + " users, "
                + eventCount
                + " events, span "
                + span);
      }
    }

    /** The demo's shop: 500 items, 200 users, 20,000 events over the last week. */
    public static Spec demo(Instant now) {
      return new Spec(42, 500, 200, 20_000, now, Duration.ofDays(7));
    }
  }

  /** Items in id order; events in time order (ties in generation order). */
  public record Dataset(List<Item> items, List<UserEvent> events) {}

  private record Theme(
      String category, List<String> nouns, List<String> brands, double medianPrice) {}

  private static final List<Theme> THEMES =
      List.of(
          new Theme(
              "electronics",
              List.of(
                  "Headphones",
                  "Speaker",
                  "Charger",
                  "Smartwatch",
                  "Keyboard",
                  "Monitor",
                  "Webcam"),
              List.of("Voltix", "Sonique", "Pixelon", "Arcwave"),
              80),
          new Theme(
              "books",
              List.of(
                  "Novel", "Cookbook", "Biography", "Atlas", "Thriller", "Field Guide", "Poetry"),
              List.of("Lantern Press", "Northwind Books", "Quire"),
              15),
          new Theme(
              "home",
              List.of("Throw Blanket", "Cushion", "Lamp", "Vase", "Rug", "Curtain", "Mirror"),
              List.of("Hearthly", "Nook & Co", "Casa Nova"),
              40),
          new Theme(
              "kitchen",
              List.of(
                  "Chef Knife", "Skillet", "Kettle", "Blender", "Cutting Board", "Coffee Grinder"),
              List.of("Ferro", "Copperleaf", "Mise"),
              45),
          new Theme(
              "toys",
              List.of("Puzzle", "Building Set", "Plush Bear", "Race Car", "Board Game", "Kite"),
              List.of("Playwell", "Tinkertot", "Wonderkin"),
              25),
          new Theme(
              "sports",
              List.of("Yoga Mat", "Dumbbell Set", "Running Shoes", "Tennis Racket", "Water Bottle"),
              List.of("Stride", "Apex Athletic", "Kinetic"),
              50),
          new Theme(
              "beauty",
              List.of("Face Serum", "Lip Balm", "Shampoo", "Moisturizer", "Perfume", "Nail Polish"),
              List.of("Lumiere", "Botanica", "Velvetine"),
              22),
          new Theme(
              "fashion",
              List.of(
                  "T-Shirt", "Denim Jacket", "Scarf", "Sneakers", "Wool Sweater", "Leather Belt"),
              List.of("Threadline", "Marlow", "Urban Fox"),
              45),
          new Theme(
              "garden",
              List.of("Garden Hose", "Pruning Shears", "Planter", "Seed Kit", "Watering Can"),
              List.of("Greenfold", "Terraco", "Bloomwell"),
              30),
          new Theme(
              "grocery",
              List.of("Olive Oil", "Coffee Beans", "Dark Chocolate", "Green Tea", "Pasta", "Honey"),
              List.of("Harvest Table", "Good Pantry", "Orchard Lane"),
              8),
          new Theme(
              "music",
              List.of("Vinyl Record", "Guitar Strings", "Ukulele", "Drum Pads", "Microphone"),
              List.of("Resonant", "Tempo", "Bluenote Works"),
              35),
          new Theme(
              "games",
              List.of(
                  "Strategy Game", "Racing Game", "Controller", "Puzzle Game", "Gaming Headset"),
              List.of("Nimbus Games", "Quasar", "Blockhead"),
              40));

  /** The 12 categories items are drawn from. */
  public static final List<String> CATEGORIES = THEMES.stream().map(Theme::category).toList();

  private static final List<String> ADJECTIVES =
      List.of(
          "Classic",
          "Compact",
          "Deluxe",
          "Everyday",
          "Premium",
          "Eco",
          "Pro",
          "Mini",
          "Vintage",
          "Smart",
          "Ultra",
          "Essential");
  private static final List<String> COLORS =
      List.of("black", "white", "red", "blue", "green", "grey", "natural");
  private static final WeightedSampler<String> DEVICES =
      new WeightedSampler<>(List.of("mobile", "desktop", "tablet"), new double[] {0.6, 0.3, 0.1});
  private static final WeightedSampler<String> LOCALES =
      new WeightedSampler<>(
          List.of("en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "ja-JP"),
          new double[] {0.4, 0.15, 0.15, 0.1, 0.1, 0.1});

  /** Share of items that cannot be bought right now (seen and clicked, never carted). */
  private static final double UNAVAILABLE_SHARE = 0.08;

  private static final double ZIPF_EXPONENT = 1.05;
  private static final Duration MIN_SESSION_GAP = Duration.ofMinutes(31);
  private static final long MAX_STEP_GAP_MS = Duration.ofMinutes(5).toMillis();
  private static final long MAX_DWELL_MS = Duration.ofMinutes(10).toMillis();

  /** Roughly how many events one session yields; spreads a user's sessions over the span. */
  private static final int EVENTS_PER_SESSION = 14;

  /** How a user's attention splits over a first, second and third favourite category. */
  private static final double[] FAVOURITE_WEIGHTS = {0.6, 0.3, 0.1};

  private SyntheticData() {}

  public static Dataset generate(Spec spec) {
    List<Item> items = catalog(spec.seed(), spec.itemCount());
    return new Dataset(items, events(spec, items));
  }

  /**
   * The catalog alone: ids {@code sku-00000} ..., about one item in 12 per category, ~8%
   * unavailable.
   */
  public static List<Item> catalog(long seed, int itemCount) {
    Random random = new Random(seed);
    List<Item> items = new ArrayList<>(itemCount);
    for (int i = 0; i < itemCount; i++) {
      Theme theme = THEMES.get(random.nextInt(THEMES.size()));
      List<String> categories = new ArrayList<>(List.of(theme.category()));
      if (random.nextDouble() < 0.25) {
        Theme second = THEMES.get(random.nextInt(THEMES.size()));
        if (second != theme) {
          categories.add(second.category());
        }
      }
      String brand = pick(theme.brands(), random);
      String title = brand + " " + pick(ADJECTIVES, random) + " " + pick(theme.nouns(), random);
      // Log-normal around the category's median, ending in .99 like shop prices.
      double price =
          Math.max(1, Math.round(theme.medianPrice() * Math.exp(0.5 * random.nextGaussian())))
              - 0.01;
      boolean available = random.nextDouble() >= UNAVAILABLE_SHARE;
      Map<String, String> attributes =
          Map.of(
              "color",
              pick(COLORS, random),
              "launched",
              Integer.toString(2018 + random.nextInt(8)));
      items.add(
          new Item(
              String.format(Locale.ROOT, "sku-%05d", i),
              title,
              categories,
              brand,
              Math.round(price * 100) / 100.0,
              available,
              attributes));
    }
    return List.copyOf(items);
  }

  private static List<UserEvent> events(Spec spec, List<Item> items) {
    Catalog catalog = new Catalog(items, new Random(spec.seed() * 31 + 7));
    int[] quotas = quotas(spec, new Random(spec.seed() * 31 + 11));
    int width = Math.max(4, Integer.toString(spec.userCount()).length());
    List<UserEvent> all = new ArrayList<>(spec.eventCount());
    for (int u = 0; u < spec.userCount(); u++) {
      String userId = String.format(Locale.ROOT, "user-%0" + width + "d", u + 1);
      // One generator per user: a user's history does not change when the user count does.
      Random random = new Random(spec.seed() * 1_000_003L + u);
      all.addAll(new UserStream(spec, catalog, userId, random).generate(quotas[u]));
    }
    all.sort(
        Comparator.comparingLong(
            UserEvent::timestamp)); // stable: ties keep user and sequence order
    return List.copyOf(all);
  }

  /**
   * Events per user summing to exactly the spec's count: one each, the rest log-normally by
   * activity.
   */
  private static int[] quotas(Spec spec, Random random) {
    int users = spec.userCount();
    double[] activity = new double[users];
    double sum = 0;
    for (int u = 0; u < users; u++) {
      activity[u] = Math.exp(random.nextGaussian());
      sum += activity[u];
    }
    int spare = spec.eventCount() - users;
    int[] quotas = new int[users];
    double[] remainders = new double[users];
    int given = 0;
    for (int u = 0; u < users; u++) {
      double share = spare * activity[u] / sum;
      quotas[u] = 1 + (int) share;
      remainders[u] = share - (int) share;
      given += (int) share;
    }
    // Largest remainders get the events rounding left over.
    Integer[] order = new Integer[users];
    for (int u = 0; u < users; u++) {
      order[u] = u;
    }
    Arrays.sort(order, (a, b) -> Double.compare(remainders[b], remainders[a]));
    for (int k = 0; k < spare - given; k++) {
      quotas[order[k]]++;
    }
    return quotas;
  }

  private static <T> T pick(List<T> values, Random random) {
    return values.get(random.nextInt(values.size()));
  }

  /** Popularity of items overall and within each category. */
  private static final class Catalog {
    final WeightedSampler<Item> overall;
    final Map<String, WeightedSampler<Item>> byCategory;

    Catalog(List<Item> items, Random random) {
      // Popularity rank independent of the id, so sku-00000 is not automatically the bestseller.
      List<Item> byRank = new ArrayList<>(items);
      Collections.shuffle(byRank, random);
      overall = WeightedSampler.zipf(byRank, ZIPF_EXPONENT);
      Map<String, WeightedSampler<Item>> samplers = new HashMap<>();
      for (String category : CATEGORIES) {
        List<Item> inCategory =
            byRank.stream().filter(i -> i.categories().contains(category)).toList();
        if (!inCategory.isEmpty()) {
          samplers.put(category, WeightedSampler.zipf(inCategory, ZIPF_EXPONENT));
        }
      }
      byCategory = Map.copyOf(samplers);
    }
  }

  /**
   * One user's history: a taste, a device, a locale, and sessions until the user's quota is spent.
   */
  private static final class UserStream {
    private final Spec spec;
    private final Catalog catalog;
    private final String userId;
    private final Random random;
    private final WeightedSampler<String> favourites;
    private final double loyalty;
    private final String device;
    private final String locale;
    private final List<UserEvent> out = new ArrayList<>();
    private int quota;
    private long t;

    UserStream(Spec spec, Catalog catalog, String userId, Random random) {
      this.spec = spec;
      this.catalog = catalog;
      this.userId = userId;
      this.random = random;
      List<String> shuffled =
          new ArrayList<>(catalog.byCategory.keySet().stream().sorted().toList());
      Collections.shuffle(shuffled, random);
      int n = 1 + random.nextInt(Math.min(3, shuffled.size()));
      this.favourites =
          new WeightedSampler<>(shuffled.subList(0, n), Arrays.copyOf(FAVOURITE_WEIGHTS, n));
      this.loyalty = 0.6 + 0.3 * random.nextDouble();
      this.device = DEVICES.sample(random);
      this.locale = LOCALES.sample(random);
    }

    List<UserEvent> generate(int quota) {
      this.quota = quota;
      // Gaps between sessions: exponential (capped at 3x the mean so a light user's history stays
      // near the span).
      int sessions = Math.max(1, quota / EVENTS_PER_SESSION);
      long meanGap =
          Math.max(0, spec.span().toMillis() / (sessions + 1) - MIN_SESSION_GAP.toMillis());
      t = 0;
      while (remaining() > 0) {
        session();
        t +=
            MIN_SESSION_GAP.toMillis()
                + (long) (meanGap * Math.min(3, -Math.log(1 - random.nextDouble())));
      }
      // Relative times become real ones: the last event lands up to 10 minutes before now.
      long last = out.get(out.size() - 1).timestamp();
      long shift = spec.now().toEpochMilli() - random.nextInt(10 * 60_000) - last;
      return out.stream()
          .map(
              e ->
                  new UserEvent(
                      e.eventId(),
                      e.userId(),
                      e.itemId(),
                      e.type(),
                      e.timestamp() + shift,
                      e.value(),
                      e.context()))
          .toList();
    }

    private int remaining() {
      return quota - out.size();
    }

    private void session() {
      String sessionDevice = random.nextDouble() < 0.85 ? device : DEVICES.sample(random);
      if (random.nextDouble() < 0.2) {
        search(sessionDevice);
      }
      int steps = 1 + (int) (-Math.log(1 - random.nextDouble()) * 4);
      for (int s = 0; s < steps && remaining() > 0; s++) {
        if (s > 0) {
          step(5_000, MAX_STEP_GAP_MS);
        }
        if (random.nextDouble() < 0.15) {
          // Arrived at a product page directly (a link, a bookmark): a view without an impression
          // first.
          productPage(choose(), sessionDevice);
        } else {
          listPage(random.nextDouble() < 0.5 ? "home" : "category", null, null, sessionDevice);
        }
      }
    }

    private void search(String sessionDevice) {
      String category = favourites.sample(random);
      Theme theme =
          THEMES.stream().filter(th -> th.category().equals(category)).findFirst().orElseThrow();
      String query =
          (random.nextBoolean() ? pick(ADJECTIVES, random) + " " : "")
              + pick(theme.nouns(), random);
      emit(
          EventType.SEARCH,
          null,
          null,
          new EventContext(sessionDevice, "search", query.toLowerCase(Locale.ROOT), locale));
      step(1_000, 4_000);
      listPage("search", category, query.toLowerCase(Locale.ROOT), sessionDevice);
    }

    /**
     * A page of 3-6 impressions; each may be clicked, more likely when it is in a favourite
     * category.
     */
    private void listPage(String page, String category, String query, String sessionDevice) {
      int shown = 3 + random.nextInt(4);
      List<Item> seen = new ArrayList<>();
      for (int i = 0; i < shown && remaining() > 0; i++) {
        Item item =
            category != null && random.nextDouble() < 0.8
                ? catalog.byCategory.get(category).sample(random)
                : choose();
        seen.add(item);
        emit(
            EventType.IMPRESSION, item, null, new EventContext(sessionDevice, page, query, locale));
        t +=
            1
                + random.nextInt(
                    40); // a page's impressions are logged within milliseconds of each other
      }
      for (Item item : seen) {
        double ctr = favourite(item) ? 0.22 : 0.06;
        if (remaining() > 0 && random.nextDouble() < ctr) {
          step(1_500, 20_000);
          emit(EventType.CLICK, item, null, new EventContext(sessionDevice, page, query, locale));
          step(300, 2_000);
          productPage(item, sessionDevice);
          return; // the user left the list for the product page
        }
      }
    }

    /** A view with its dwell time, then perhaps cart, purchase and rating. */
    private void productPage(Item item, String sessionDevice) {
      if (remaining() <= 0) {
        return;
      }
      long dwell =
          Math.min(
              MAX_DWELL_MS,
              Math.max(500, Math.round(25_000 * Math.exp(0.9 * random.nextGaussian()))));
      emit(
          EventType.VIEW,
          item,
          (double) dwell,
          new EventContext(sessionDevice, "product", null, locale));
      if (!item.available()
          || remaining() <= 0
          || random.nextDouble() >= (favourite(item) ? 0.18 : 0.07)) {
        return;
      }
      t += dwell;
      emit(
          EventType.ADD_TO_CART,
          item,
          item.price(),
          new EventContext(sessionDevice, "product", null, locale));
      if (remaining() <= 0 || random.nextDouble() >= 0.4) {
        return;
      }
      step(30_000, 180_000);
      emit(
          EventType.PURCHASE,
          item,
          item.price(),
          new EventContext(sessionDevice, "checkout", null, locale));
      if (remaining() <= 0 || random.nextDouble() >= 0.35) {
        return;
      }
      step(20_000, 180_000);
      // Liked categories get kinder ratings.
      int rating = favourite(item) ? 3 + random.nextInt(3) : 1 + random.nextInt(5);
      emit(
          EventType.RATING,
          item,
          (double) rating,
          new EventContext(sessionDevice, "orders", null, locale));
    }

    private Item choose() {
      if (random.nextDouble() < loyalty) {
        return catalog.byCategory.get(favourites.sample(random)).sample(random);
      }
      return catalog.overall.sample(random);
    }

    private boolean favourite(Item item) {
      for (String c : item.categories()) {
        if (favourites.values().contains(c)) {
          return true;
        }
      }
      return false;
    }

    /**
     * Moves time on by a uniform amount in [min, max] milliseconds (always under the 30-minute
     * session gap).
     */
    private void step(long minMs, long maxMs) {
      t += minMs + (long) (random.nextDouble() * (maxMs - minMs));
    }

    private void emit(EventType type, Item item, Double value, EventContext context) {
      int seq = out.size() + 1;
      out.add(
          new UserEvent(
              "s" + spec.seed() + "-" + userId + "-" + seq,
              userId,
              item == null ? null : item.itemId(),
              type,
              t,
              value,
              context));
      t += 1; // strictly increasing within a user, so time order is the order of generation
    }
  }
}
