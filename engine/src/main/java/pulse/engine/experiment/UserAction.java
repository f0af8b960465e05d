package pulse.engine.experiment;

import java.util.Objects;

/**
 * One thing a user did to an item, as the experiment metrics see it.
 *
 * @param userId who acted
 * @param itemId on which item
 * @param type the wire name of the action: {@value #VIEW}, {@value #CLICK}, {@value #ADD_TO_CART},
 *     {@value #PURCHASE} or {@value #RATING}; other names are carried but count for nothing
 * @param timestamp when, epoch milliseconds (event time)
 * @param listId the list the client says the action came from; {@code null} when it did not say
 */
public record UserAction(String userId, String itemId, String type, long timestamp, String listId) {

  public static final String VIEW = "view";
  public static final String CLICK = "click";
  public static final String ADD_TO_CART = "add_to_cart";
  public static final String PURCHASE = "purchase";
  public static final String RATING = "rating";

  public UserAction {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(type, "type");
  }
}
