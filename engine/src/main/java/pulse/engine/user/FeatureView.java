package pulse.engine.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pulse.engine.common.CborSerializable;
import pulse.engine.event.EventType;
import pulse.engine.event.Interaction;

/**
 * A user's features evaluated at one time: the body of {@code GET /v1/users/{id}/features}.
 * Immutable.
 *
 * @param evaluatedAt the "now" everything time-dependent was evaluated at, epoch millis
 * @param totalEvents distinct events applied, ever (late ones included)
 * @param lateEvents of those, how many arrived later than the allowed lateness (not in
 *     windows/session)
 * @param totals all-time events per type, every type present
 * @param windows per-type counts over each sliding window (by event time)
 * @param clickThrough CTR over the configured windows
 * @param topCategories strongest categories first (by long-term, then short-term affinity)
 * @param session the session in progress, or null when the user has been idle for the session gap
 * @param recency time since the last event, click and purchase
 * @param dwellEmaMillis EMA of view dwell times; null before the first view with a value
 * @param hourOfDay 24 counts of events by UTC hour of event time
 * @param devices events per device name
 * @param recent the last N interactions, oldest first
 */
public record FeatureView(
    @JsonProperty("evaluatedAt") long evaluatedAt,
    @JsonProperty("totalEvents") long totalEvents,
    @JsonProperty("lateEvents") long lateEvents,
    @JsonProperty("totals") Map<EventType, Long> totals,
    @JsonProperty("windows") List<WindowCount> windows,
    @JsonProperty("clickThrough") List<ClickThroughRate> clickThrough,
    @JsonProperty("topCategories") List<CategoryAffinity> topCategories,
    @JsonProperty("session") SessionView session,
    @JsonProperty("recency") RecencyView recency,
    @JsonProperty("dwellEmaMillis") Double dwellEmaMillis,
    @JsonProperty("hourOfDay") List<Long> hourOfDay,
    @JsonProperty("devices") Map<String, Long> devices,
    @JsonProperty("recent") List<Interaction> recent)
    implements CborSerializable {

  @JsonCreator
  public FeatureView {
    totals = EnumMaps.immutableCopy(totals);
    windows = List.copyOf(windows);
    clickThrough = List.copyOf(clickThrough);
    topCategories = List.copyOf(topCategories);
    hourOfDay = List.copyOf(hourOfDay);
    devices = Collections.unmodifiableMap(new TreeMap<>(devices));
    recent = List.copyOf(recent);
  }

  /** The window with this name; throws if it is not configured. */
  public WindowCount window(String name) {
    return windows.stream()
        .filter(w -> w.window().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no window " + name));
  }

  /** The CTR over the window with this name; throws if it is not configured. */
  public ClickThroughRate clickThrough(String window) {
    return clickThrough.stream()
        .filter(c -> c.window().equals(window))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no ctr window " + window));
  }
}
