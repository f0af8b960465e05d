package pulse.http;

import static akka.http.javadsl.server.PathMatchers.segment;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import akka.pattern.StatusReply;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import pulse.engine.analysis.RolloutController;
import pulse.engine.experiment.CanaryGate;
import pulse.engine.experiment.Rollout;

/**
 * {@code POST /v1/model/rollout} starts a canary rollout of a candidate version (admin): {@code
 * {"version": "...", "steps": [1, 10, 50, 100], "gates": {...}, "alpha": 0.05, "maxLooks": 5}},
 * everything but the version optional. {@code GET /v1/model/rollout}: every rollout, newest first,
 * with its timeline. 400 names the bad field; 409 when one runs already, the version is no
 * candidate, or an experiment runs; 503 when the controller does not answer.
 */
public final class RolloutRoutes extends JsonSupport {
  /** The defaults of a plan's optional fields (see README, Canary rollouts). */
  static final List<Integer> STEPS = List.of(1, 10, 50, 100);

  static final CanaryGate.Gates GATES =
      new CanaryGate.Gates(500, CanaryGate.Gates.CTR, 0.01, 1.5, 20, 0.02);
  static final double ALPHA = 0.05;
  private static final Set<String> FIELDS =
      Set.of("version", "steps", "gates", "alpha", "maxLooks");
  private static final Duration ASK = Duration.ofSeconds(20);

  private final Optional<ActorRef<RolloutController.Command>> controller;
  private final ActorSystem<?> system;

  public RolloutRoutes(
      Optional<ActorRef<RolloutController.Command>> controller, ActorSystem<?> system) {
    this.controller = controller;
    this.system = system;
  }

  public record RolloutList(List<Rollout> rollouts) {}

  public Route routes() {
    return path(
        segment("v1").slash("model").slash("rollout"),
        () ->
            concat(
                post(() -> entity(Unmarshaller.entityToString(), this::start)), get(this::list)));
  }

  private Route list() {
    if (controller.isEmpty()) {
      return json(StatusCodes.OK, new RolloutList(List.of()));
    }
    return onComplete(
        AskPattern.<RolloutController.Command, RolloutController.Rollouts>ask(
            controller.get(), RolloutController.Get::new, ASK, system.scheduler()),
        r ->
            r.isSuccess()
                ? json(StatusCodes.OK, new RolloutList(r.get().rollouts()))
                : json(
                    StatusCodes.SERVICE_UNAVAILABLE,
                    new ErrorBody("the rollout controller did not answer; try again", null)));
  }

  private Route start(String body) {
    JsonNode n;
    try {
      n = MAPPER.readTree(body);
    } catch (Exception e) {
      return bad("body must be a JSON object", "$");
    }
    if (n == null || !n.isObject()) {
      return bad("body must be a JSON object", "$");
    }
    for (var it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        return bad("unknown field", f);
      }
    }
    String version = n.path("version").asText(null);
    if (version == null || version.isBlank()) {
      return bad("version is required: a candidate (POST /v1/model/candidates)", "version");
    }
    List<Integer> steps = STEPS;
    if (n.has("steps")) {
      if (!n.get("steps").isArray() || n.get("steps").isEmpty()) {
        return bad("steps must be an array of increasing percentages in 1..100", "steps");
      }
      steps = new ArrayList<>();
      for (JsonNode s : n.get("steps")) {
        if (!s.isInt()) {
          return bad("steps must be an array of increasing percentages in 1..100", "steps");
        }
        steps.add(s.intValue());
      }
    }
    CanaryGate.Gates gates;
    try {
      gates = gates(n.path("gates"));
    } catch (IllegalArgumentException e) {
      return bad(e.getMessage(), "gates");
    }
    double alpha = n.path("alpha").asDouble(ALPHA);
    int interim = (int) steps.stream().filter(s -> s < 100).count();
    int maxLooks = n.path("maxLooks").asInt(interim + 2);
    try {
      Rollout.start(version, steps, gates, alpha, maxLooks, java.time.Instant.now()); // validates
    } catch (IllegalArgumentException e) {
      String field =
          e.getMessage().startsWith("alpha")
              ? "alpha"
              : e.getMessage().startsWith("maxLooks") ? "maxLooks" : "steps";
      return bad(e.getMessage(), field);
    }
    if (controller.isEmpty()) {
      return json(
          StatusCodes.CONFLICT,
          new ErrorBody(
              "canary rollouts need online learning (pulse.learning.enabled) and the experiment"
                  + " analyst (pulse.experiments.analyst.enabled)",
              null));
    }
    RolloutController.Plan plan =
        new RolloutController.Plan(version, List.copyOf(steps), gates, alpha, maxLooks);
    return onComplete(
        AskPattern.<RolloutController.Command, StatusReply<Rollout>>ask(
            controller.get(), r -> new RolloutController.Start(plan, r), ASK, system.scheduler()),
        r -> {
          if (r.isFailure()) {
            return json(
                StatusCodes.SERVICE_UNAVAILABLE,
                new ErrorBody("the rollout controller did not answer; try again", null));
          }
          return r.get().isSuccess()
              ? json(StatusCodes.CREATED, r.get().getValue())
              : json(StatusCodes.CONFLICT, new ErrorBody(r.get().getError().getMessage(), null));
        });
  }

  private static CanaryGate.Gates gates(JsonNode g) {
    if (g.isMissingNode() || g.isNull()) {
      return GATES;
    }
    if (!g.isObject()) {
      throw new IllegalArgumentException("gates must be a JSON object");
    }
    return new CanaryGate.Gates(
        g.path("minListsPerArm").asLong(GATES.minListsPerArm()),
        g.path("metric").asText(GATES.metric()),
        g.path("margin").asDouble(GATES.margin()),
        g.path("maxP99Ratio").asDouble(GATES.maxP99Ratio()),
        g.path("maxP99SlackMs").asDouble(GATES.maxP99SlackMs()),
        g.path("maxErrorRateIncrease").asDouble(GATES.maxErrorRateIncrease()));
  }

  private Route bad(String error, String field) {
    return json(StatusCodes.BAD_REQUEST, new ErrorBody(error, field));
  }
}
