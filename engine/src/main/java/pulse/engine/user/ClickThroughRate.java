package pulse.engine.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Clicks over impressions in one window. {@code ctr} is null (absent, not NaN) when there were no
 * impressions. It is not capped at 1: clicks on items whose impression was never reported are real
 * clicks, and a ratio above 1 tells the operator impression tracking is incomplete.
 */
public record ClickThroughRate(
    @JsonProperty("window") String window,
    @JsonProperty("impressions") long impressions,
    @JsonProperty("clicks") long clicks,
    @JsonProperty("ctr") Double ctr) {

  @JsonCreator
  public ClickThroughRate {}

  public static ClickThroughRate of(String window, long impressions, long clicks) {
    return new ClickThroughRate(
        window, impressions, clicks, impressions == 0 ? null : (double) clicks / impressions);
  }
}
