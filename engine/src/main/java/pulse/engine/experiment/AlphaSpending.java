package pulse.engine.experiment;

/**
 * How much of a test's false-alarm budget {@code alpha} each planned look at the data may use: the
 * Lan-DeMets spending function of O'Brien-Fleming type, with looks equally spaced in information
 * (look {@code i} of {@code K} at information fraction {@code t = i/K}).
 *
 * <p>Why: a canary is checked again and again as traffic accrues; testing each time at the full
 * alpha would make a false "it is worse" (or "it is fine") far likelier than alpha overall. The
 * O'Brien-Fleming shape spends almost nothing at the first looks, when a verdict would rest on
 * little traffic, and keeps nearly the whole alpha for the last look, so a rollout that runs its
 * course loses almost no power.
 *
 * <p>Cumulative spending is {@code spentBy(i) = 2 - 2·Phi(z_{1-alpha/2} / sqrt(i/K))}, which is 0
 * at look 0 and exactly alpha at look K. A look gets the increment {@link #alphaAt(int)} and the
 * caller tests at {@link #confidenceAt(int)}: a Bonferroni split of alpha over the looks, which is
 * conservative and stays valid whatever the correlation between looks (unlike exact
 * group-sequential boundaries, it needs no assumption about how the looks' statistics are joined).
 *
 * <p>A caller must not look more often than planned: looks are numbered 1 to {@code plannedLooks},
 * and anything else is an {@link IllegalArgumentException}, because a look past the plan would have
 * no alpha left to spend.
 */
public final class AlphaSpending {

  private final double alpha;
  private final int plannedLooks;
  private final double criticalZ;

  /**
   * @param alpha the overall two-sided false-alarm probability, in (0, 1), e.g. 0.05
   * @param plannedLooks how many looks the rollout will take at most, at least 1
   */
  public AlphaSpending(double alpha, int plannedLooks) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must lie in (0, 1): " + alpha);
    }
    if (plannedLooks < 1) {
      throw new IllegalArgumentException("plannedLooks must be at least 1: " + plannedLooks);
    }
    this.alpha = alpha;
    this.plannedLooks = plannedLooks;
    this.criticalZ = ExperimentStats.zFor(1 - alpha);
  }

  /** The overall alpha this spending divides among the looks. */
  public double alpha() {
    return alpha;
  }

  /** The number of looks planned; the last look is the one at which a verdict must be reached. */
  public int plannedLooks() {
    return plannedLooks;
  }

  /**
   * The alpha spent by the end of look {@code look}, cumulative: 0 at look 0, exactly {@link
   * #alpha()} at {@code plannedLooks}.
   *
   * @throws IllegalArgumentException when {@code look} is outside [0, plannedLooks]
   */
  public double spentBy(int look) {
    if (look < 0 || look > plannedLooks) {
      throw new IllegalArgumentException(
          "look must lie in [0, plannedLooks = " + plannedLooks + "]: " + look);
    }
    if (look == 0) {
      return 0.0;
    }
    if (look == plannedLooks) {
      return alpha; // exactly, not up to the normal quantile's round trip
    }
    double informationFraction = (double) look / plannedLooks;
    // 2 - 2·Phi(x) written as 2·Phi(-x): the lower tail keeps the tiny early-look values' digits.
    return 2 * ExperimentStats.standardNormalCdf(-criticalZ / Math.sqrt(informationFraction));
  }

  /**
   * The alpha this look may spend: {@code spentBy(look) - spentBy(look - 1)}. The increments over
   * looks 1 to {@code plannedLooks} sum to {@link #alpha()}.
   *
   * @throws IllegalArgumentException when {@code look} is outside [1, plannedLooks]
   */
  public double alphaAt(int look) {
    checkLook(look);
    return spentBy(look) - spentBy(look - 1);
  }

  /**
   * The two-sided confidence of the interval to use at this look, {@code 1 - alphaAt(look)}.
   *
   * <p>At the first looks of a long plan (about 18 looks or more at alpha 0.05) the increment is
   * below a double's resolution next to 1 and this is exactly 1.0: that look can conclude nothing.
   *
   * @throws IllegalArgumentException when {@code look} is outside [1, plannedLooks]
   */
  public double confidenceAt(int look) {
    return 1 - alphaAt(look);
  }

  private void checkLook(int look) {
    if (look < 1 || look > plannedLooks) {
      throw new IllegalArgumentException(
          "look must lie in [1, plannedLooks = " + plannedLooks + "]: " + look);
    }
  }

  @Override
  public String toString() {
    return "AlphaSpending[alpha=" + alpha + ", plannedLooks=" + plannedLooks + "]";
  }
}
