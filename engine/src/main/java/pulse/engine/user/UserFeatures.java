package pulse.engine.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pulse.engine.event.EventType;
import pulse.engine.event.Interaction;
import pulse.engine.event.UserEvent;

/**
 * One user's behaviour features, updated event by event. Mutable and not thread-safe: it lives
 * inside one actor. {@link #toSnapshot()} / {@link #fromSnapshot(Snapshot)} round-trip it exactly
 * for persistence.
 *
 * <p>Lateness: the watermark is the latest event time applied so far. An event older than {@code
 * watermark - allowedLateness} is <em>late</em>: it is counted in {@code lateEvents} and kept out
 * of the sliding windows (and so CTR) and the session, but it still enters the recent sequence, the
 * all-time totals, category affinity (decayed by its true age), recency, dwell EMA, hour-of-day and
 * device mix. Events within the lateness enter everything at their event time, whatever their
 * arrival order.
 */
public final class UserFeatures {

  private static final int TYPES = EventType.values().length;

  private final FeatureSettings settings;
  private final long latenessMillis;
  private final boolean[] inSequence = new boolean[TYPES];
  private final double[] affinityWeight = new double[TYPES];

  private final EventIdDedup dedup;
  private final RecentInteractions recent;
  private final WindowedCounts windows;
  private final DecayedAffinity affinity;
  private final SessionTracker session;
  private final RecencyTracker recency;
  private final DwellTimeEma dwell;
  private final HourOfDayHistogram hours;
  private final DeviceMix devices;
  private final long[] totals;
  private long totalEvents;
  private long lateEvents;
  private long watermark = RecencyTracker.NEVER;

  public UserFeatures(FeatureSettings settings) {
    this(
        settings,
        new EventIdDedup(settings.dedupMaxIds(), settings.dedupMaxAge().toMillis()),
        new RecentInteractions(settings.recentCapacity()),
        new WindowedCounts(settings.windows()),
        new DecayedAffinity(settings),
        new SessionTracker(settings.sessionGap().toMillis()),
        new RecencyTracker(),
        new DwellTimeEma(settings.dwellEmaAlpha()),
        new HourOfDayHistogram(),
        new DeviceMix(settings.maxDevices()),
        new long[TYPES]);
  }

  public UserFeatures() {
    this(FeatureSettings.defaults());
  }

  private UserFeatures(
      FeatureSettings settings,
      EventIdDedup dedup,
      RecentInteractions recent,
      WindowedCounts windows,
      DecayedAffinity affinity,
      SessionTracker session,
      RecencyTracker recency,
      DwellTimeEma dwell,
      HourOfDayHistogram hours,
      DeviceMix devices,
      long[] totals) {
    this.settings = settings;
    this.latenessMillis = settings.allowedLateness().toMillis();
    for (EventType t : EventType.values()) {
      inSequence[t.ordinal()] = settings.sequenceTypes().contains(t);
      affinityWeight[t.ordinal()] = settings.affinityWeights().getOrDefault(t, 0.0);
    }
    this.dedup = dedup;
    this.recent = recent;
    this.windows = windows;
    this.affinity = affinity;
    this.session = session;
    this.recency = recency;
    this.dwell = dwell;
    this.hours = hours;
    this.devices = devices;
    this.totals = totals;
  }

  public FeatureSettings settings() {
    return settings;
  }

  /**
   * Applies one validated event. Returns false, changing nothing else, when its eventId was already
   * applied (within the dedup bounds). {@code itemCategories} are the item's catalog categories
   * (null or empty when unknown, e.g. a search or an item not yet in the catalog).
   */
  public boolean apply(UserEvent e, List<String> itemCategories) {
    long t = e.timestamp();
    if (!dedup.firstSeen(e.eventId(), Math.max(watermark, t))) {
      return false;
    }
    List<String> categories = itemCategories == null ? List.of() : itemCategories;
    EventType type = e.type();
    int ordinal = type.ordinal();

    boolean late = watermark != RecencyTracker.NEVER && t < watermark - latenessMillis;
    if (late) {
      lateEvents++;
    } else {
      windows.add(type, t);
      session.add(t, e.itemId());
    }
    watermark = Math.max(watermark, t);
    totalEvents++;
    totals[ordinal]++;
    if (inSequence[ordinal]) {
      recent.add(new Interaction(e.itemId(), type, t, categories));
    }
    affinity.add(categories, affinityWeight[ordinal], t);
    recency.add(type, t);
    if (type == EventType.VIEW && e.value() != null) {
      dwell.add(e.value());
    }
    hours.add(t);
    devices.add(e.device());
    return true;
  }

  /** Events applied so far (duplicates excluded). */
  public long totalEvents() {
    return totalEvents;
  }

  /** Whether this event id is currently remembered as applied. */
  public boolean hasSeen(String eventId) {
    return dedup.contains(eventId);
  }

  /** The recent sequence (item, type, time, categories), oldest first: the model's input. */
  public List<Interaction> recentInteractions() {
    return recent.toList();
  }

  /** Everything evaluated at {@code nowMillis} (usually the request time). */
  public FeatureView view(long nowMillis) {
    List<WindowCount> counts = windows.countsAt(nowMillis);
    List<ClickThroughRate> ctr = new ArrayList<>(settings.ctrWindows().size());
    for (String name : settings.ctrWindows()) {
      for (WindowCount w : counts) {
        if (w.window().equals(name)) {
          ctr.add(
              ClickThroughRate.of(name, w.count(EventType.IMPRESSION), w.count(EventType.CLICK)));
        }
      }
    }
    return new FeatureView(
        nowMillis,
        totalEvents,
        lateEvents,
        EnumMaps.fromCounts(totals),
        counts,
        ctr,
        affinity.topAt(nowMillis, settings.topCategories()),
        session.currentAt(nowMillis),
        recency.at(nowMillis),
        dwell.value(),
        hours.toList(),
        devices.toMap(),
        recent.toList());
  }

  public Snapshot toSnapshot() {
    return new Snapshot(
        settings,
        RecencyTracker.toNullable(watermark),
        totalEvents,
        lateEvents,
        EnumMaps.fromCounts(totals),
        recent.toList(),
        windows.toSnapshot(),
        affinity.toSnapshot(),
        session.toSnapshot(),
        RecencyTracker.toNullable(recency.lastEvent),
        RecencyTracker.toNullable(recency.lastClick),
        RecencyTracker.toNullable(recency.lastPurchase),
        dwell.value(),
        dwell.samples(),
        hours.toList(),
        devices.toMap(),
        dedup.toSnapshot());
  }

  public static UserFeatures fromSnapshot(Snapshot s) {
    FeatureSettings settings = s.settings();
    long[] totals = new long[TYPES];
    s.totals().forEach((type, count) -> totals[type.ordinal()] = count);
    RecencyTracker recency = new RecencyTracker();
    recency.lastEvent = RecencyTracker.fromNullable(s.lastEventAt());
    recency.lastClick = RecencyTracker.fromNullable(s.lastClickAt());
    recency.lastPurchase = RecencyTracker.fromNullable(s.lastPurchaseAt());
    UserFeatures f =
        new UserFeatures(
            settings,
            EventIdDedup.restore(
                settings.dedupMaxIds(), settings.dedupMaxAge().toMillis(), s.seenEventIds()),
            RecentInteractions.restore(settings.recentCapacity(), s.recent()),
            WindowedCounts.restore(settings.windows(), s.windows()),
            DecayedAffinity.restore(settings, s.affinity()),
            SessionTracker.restore(settings.sessionGap().toMillis(), s.session()),
            recency,
            DwellTimeEma.restore(settings.dwellEmaAlpha(), s.dwellEma(), s.dwellSamples()),
            HourOfDayHistogram.restore(s.hourOfDay()),
            DeviceMix.restore(settings.maxDevices(), s.devices()),
            totals);
    f.watermark = RecencyTracker.fromNullable(s.watermark());
    f.totalEvents = s.totalEvents();
    f.lateEvents = s.lateEvents();
    return f;
  }

  /**
   * The whole aggregate as plain immutable data: the Akka persistence snapshot (Jackson CBOR).
   * Nullable fields are null when the user has no such event yet.
   *
   * @param watermark latest event time applied
   * @param session the latest session, or null before the first (non-late) event
   * @param seenEventIds remembered event ids, oldest first
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Snapshot(
      @JsonProperty("settings") FeatureSettings settings,
      @JsonProperty("watermark") Long watermark,
      @JsonProperty("totalEvents") long totalEvents,
      @JsonProperty("lateEvents") long lateEvents,
      @JsonProperty("totals") Map<EventType, Long> totals,
      @JsonProperty("recent") List<Interaction> recent,
      @JsonProperty("windows") List<WindowSnapshot> windows,
      @JsonProperty("affinity") Map<String, AffinityState> affinity,
      @JsonProperty("session") SessionState session,
      @JsonProperty("lastEventAt") Long lastEventAt,
      @JsonProperty("lastClickAt") Long lastClickAt,
      @JsonProperty("lastPurchaseAt") Long lastPurchaseAt,
      @JsonProperty("dwellEma") Double dwellEma,
      @JsonProperty("dwellSamples") long dwellSamples,
      @JsonProperty("hourOfDay") List<Long> hourOfDay,
      @JsonProperty("devices") Map<String, Long> devices,
      @JsonProperty("seenEventIds") List<SeenEventId> seenEventIds) {

    @JsonCreator
    public Snapshot {
      totals = EnumMaps.immutableCopy(totals);
      recent = List.copyOf(recent);
      windows = List.copyOf(windows);
      affinity = Map.copyOf(affinity);
      hourOfDay = List.copyOf(hourOfDay);
      devices = Map.copyOf(devices);
      seenEventIds = List.copyOf(seenEventIds);
    }
  }
}
