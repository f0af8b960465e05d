package pulse.engine.experiment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import pulse.engine.common.CborSerializable;

/**
 * A canary rollout: a candidate model version served to a growing share of users ({@code steps},
 * percent) beside the current one, compared at each look by {@link CanaryGate}, and promoted, held
 * or rolled back by itself. It runs as an experiment named {@link #name} whose first variant is the
 * canary (a pinned version) and whose second is the control (the model every node serves): buckets
 * go to variants in list order, so a user in the canary stays there as its share grows.
 *
 * <p>Looks and alpha: each look uses the traffic since the previous one ({@code minListsPerArm} new
 * lists per arm at least) on top of what came before, and spends alpha by {@link AlphaSpending}
 * over {@code maxLooks}; a non-inferior canary moves to the next step, a clearly worse one is
 * rolled back, an inconclusive one stays at its step for the next look, and the last look never
 * holds (inconclusive there is rolled back). Reaching 100% (or passing the last step's look)
 * promotes it. A pure value: {@link #decide} returns the next state, the caller acts on it.
 *
 * @param step index into {@code steps} of the share served now
 * @param look the next look, 1 to {@code maxLooks}
 * @param canaryListsAtLook the canary's finished lists when this look began (new traffic counts)
 * @param atPercent the share when the outcome was decided; null while running
 */
public record Rollout(
    String name,
    String version,
    List<Integer> steps,
    CanaryGate.Gates gates,
    double alpha,
    int maxLooks,
    int step,
    int look,
    long canaryListsAtLook,
    long controlListsAtLook,
    Status status,
    Integer atPercent,
    String reason,
    List<Event> timeline,
    Instant startedAt)
    implements CborSerializable {

  public enum Status {
    RUNNING,
    PROMOTED,
    ROLLED_BACK
  }

  /** One entry of the rollout's timeline: a step taken or an outcome, and why. */
  public record Event(Instant at, int percent, String what, String reason) {}

  /** The canary's and the control's variant names in the rollout's experiment. */
  public static final String CANARY = "canary";

  public static final String CONTROL = "control";

  /** Every rollout's experiment is named {@code rollout-<version>-<epoch ms>}. */
  public static final String EXPERIMENT_PREFIX = "rollout-";

  public Rollout {
    steps = List.copyOf(steps);
    timeline = List.copyOf(timeline);
  }

  /** A new rollout at its first step; {@code steps} are validated here. */
  public static Rollout start(
      String version,
      List<Integer> steps,
      CanaryGate.Gates gates,
      double alpha,
      int maxLooks,
      Instant now) {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("steps must not be empty");
    }
    int previous = 0;
    for (int s : steps) {
      if (s <= previous || s > 100) {
        throw new IllegalArgumentException(
            "steps must be increasing percentages in 1..100, got " + steps);
      }
      previous = s;
    }
    if (steps.get(0) == 100) {
      throw new IllegalArgumentException("a canary starts below 100%");
    }
    int interim = (int) steps.stream().filter(s -> s < 100).count();
    if (maxLooks < interim) {
      throw new IllegalArgumentException(
          "maxLooks must allow one look per step below 100% (" + interim + "), was " + maxLooks);
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must lie in (0, 1), was " + alpha);
    }
    String name = EXPERIMENT_PREFIX + version + "-" + now.toEpochMilli();
    Event first =
        new Event(now, steps.get(0), "started", "canary " + version + " at " + steps.get(0) + "%");
    return new Rollout(
        name,
        version,
        steps,
        gates,
        alpha,
        maxLooks,
        0,
        1,
        0,
        0,
        Status.RUNNING,
        null,
        null,
        List.of(first),
        now);
  }

  public int percent() {
    return steps.get(step);
  }

  public boolean running() {
    return status == Status.RUNNING;
  }

  /** The experiment's variants at this step: the canary first, in basis points of users. */
  public List<Variant> variants() {
    int canary = percent() * 100;
    return List.of(
        new Variant(CANARY, canary, ServingPolicy.PINNED, version),
        new Variant(CONTROL, Buckets.COUNT - canary, ServingPolicy.MODEL));
  }

  /**
   * What the rollout does with these totals (cumulative, of its experiment): unchanged while a look
   * waits for traffic; else the next state (a later step, the next look, or an outcome).
   */
  public Rollout decide(
      VariantTotals.Snapshot canary, VariantTotals.Snapshot control, Instant now) {
    if (!running()) {
      return this;
    }
    long min = gates.minListsPerArm();
    if (canary.lists() - canaryListsAtLook < min || control.lists() - controlListsAtLook < min) {
      return this;
    }
    CanaryGate.Decision d =
        CanaryGate.decide(
            arm(canary), arm(control), gates, new AlphaSpending(alpha, maxLooks), look);
    List<Event> events = new ArrayList<>(timeline);
    switch (d.verdict()) {
      case ROLL_BACK -> {
        events.add(new Event(now, percent(), "rolled_back", d.reason()));
        return with(
            step,
            look,
            canary.lists(),
            control.lists(),
            Status.ROLLED_BACK,
            percent(),
            d.reason(),
            events);
      }
      case PROMOTE -> {
        boolean last = step + 1 >= steps.size() || steps.get(step + 1) == 100 || look >= maxLooks;
        if (last) {
          events.add(new Event(now, 100, "promoted", d.reason()));
          return with(
              step,
              look,
              canary.lists(),
              control.lists(),
              Status.PROMOTED,
              percent(),
              d.reason(),
              events);
        }
        events.add(new Event(now, steps.get(step + 1), "step", d.reason()));
        return with(
            step + 1,
            look + 1,
            canary.lists(),
            control.lists(),
            Status.RUNNING,
            null,
            d.reason(),
            events);
      }
      default -> {
        events.add(new Event(now, percent(), "held", d.reason()));
        return with(
            step,
            look + 1,
            canary.lists(),
            control.lists(),
            Status.RUNNING,
            null,
            d.reason(),
            events);
      }
    }
  }

  /**
   * Rolled back because its experiment was stopped from outside ({@code POST
   * /v1/experiments/{name}/stop}: an operator's abort): the split it judged is gone, so the canary
   * cannot be promoted on it. Unchanged when no longer running.
   */
  public Rollout aborted(String why, Instant now) {
    if (!running()) {
      return this;
    }
    List<Event> events = new ArrayList<>(timeline);
    events.add(new Event(now, percent(), "rolled_back", why));
    return with(
        step,
        look,
        canaryListsAtLook,
        controlListsAtLook,
        Status.ROLLED_BACK,
        percent(),
        why,
        events);
  }

  /**
   * This rollout after a look or an outcome; {@code *Lists}: each arm's lists when it was taken.
   */
  private Rollout with(
      int newStep,
      int newLook,
      long canaryLists,
      long controlLists,
      Status newStatus,
      Integer at,
      String why,
      List<Event> events) {
    return new Rollout(
        name,
        version,
        steps,
        gates,
        alpha,
        maxLooks,
        newStep,
        newLook,
        canaryLists,
        controlLists,
        newStatus,
        at,
        why,
        events,
        startedAt);
  }

  /** A gate's view of a variant: fallback lists count as errors (the canary failed to answer). */
  static CanaryGate.Arm arm(VariantTotals.Snapshot s) {
    return new CanaryGate.Arm(
        s.lists(),
        s.clickedLists(),
        ExperimentReport.moments(s),
        s.lists() == 0 ? 0 : s.latencyQuantileMs(0.99),
        s.fallbackLists());
  }
}
