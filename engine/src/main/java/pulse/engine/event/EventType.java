package pulse.engine.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/** Kind of user event. The wire name (JSON, CBOR) is the lower-case name clients send. */
public enum EventType {
  @JsonProperty("view")
  VIEW("view"),
  @JsonProperty("click")
  CLICK("click"),
  @JsonProperty("add_to_cart")
  ADD_TO_CART("add_to_cart"),
  @JsonProperty("purchase")
  PURCHASE("purchase"),
  @JsonProperty("rating")
  RATING("rating"),
  @JsonProperty("search")
  SEARCH("search"),
  @JsonProperty("impression")
  IMPRESSION("impression");

  private static final EventType[] VALUES = values();

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /**
   * Exact, case-sensitive match on the wire name: "View" is not a type, so typos surface as errors.
   */
  public static Optional<EventType> fromWireName(String name) {
    for (EventType t : VALUES) {
      if (t.wireName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** Search is the only type about a query rather than an item. */
  public boolean requiresItem() {
    return this != SEARCH;
  }
}
