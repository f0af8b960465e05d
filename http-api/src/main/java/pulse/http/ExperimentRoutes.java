package pulse.http;

import static akka.http.javadsl.server.PathMatchers.segment;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import pulse.engine.analysis.ExperimentAnalyst;
import pulse.engine.common.Failures;
import pulse.engine.experiment.Experiment;
import pulse.engine.experiment.ExperimentReport;
import pulse.engine.experiment.Experiments;
import pulse.engine.experiment.Interval;
import pulse.engine.experiment.ServingPolicy;
import pulse.engine.experiment.Variant;
import pulse.engine.ingest.ExperimentParser;
import pulse.engine.ingest.FieldError;
import pulse.engine.ingest.ParseResult;

/**
 * {@code POST /v1/experiments} starts an experiment (admin), {@code GET /v1/experiments} lists them
 * and {@code GET /v1/experiments/{name}} shows one (read), {@code POST /v1/experiments/{name}/stop}
 * stops it (admin). 400 names the bad field; 409 when the name is taken or another experiment runs
 * (one at a time); 404 for an unknown name; 503 when Cassandra does not answer.
 */
public final class ExperimentRoutes extends JsonSupport {
  /** A definition is a few hundred bytes; this refuses a stray upload before it is buffered. */
  static final long MAX_BODY_BYTES = 64 * 1024;

  /** The analyst is a singleton, maybe on another node, maybe moving: a short wait, then none. */
  static final Duration ANALYST_TIMEOUT = Duration.ofSeconds(3);

  private final Experiments experiments;
  private final Optional<ActorRef<ExperimentAnalyst.Command>> analyst;
  private final ActorSystem<?> system;
  private final ExperimentParser parser = new ExperimentParser();

  public ExperimentRoutes(
      Experiments experiments,
      Optional<ActorRef<ExperimentAnalyst.Command>> analyst,
      ActorSystem<?> system) {
    this.experiments = experiments;
    this.analyst = analyst;
    this.system = system;
  }

  /** A 95% interval; null figures where there is too little data (JSON has no NaN). */
  public record IntervalView(Double estimate, Double low, Double high) {
    static IntervalView of(Interval i) {
      return i == null
          ? null
          : new IntervalView(finite(i.estimate()), finite(i.low()), finite(i.high()));
    }
  }

  static Double finite(double x) {
    return Double.isFinite(x) ? Math.round(x * 1e6) / 1e6 : null;
  }

  /** A variant's online figures; {@code *VsControl}: treatment minus control, null for it. */
  public record VariantFiguresView(
      String variant,
      long lists,
      long impressions,
      long clicks,
      long purchases,
      IntervalView ctr,
      IntervalView conversion,
      IntervalView ndcg10,
      Double p50Ms,
      Double p99Ms,
      Double fallbackShare,
      IntervalView ctrVsControl,
      IntervalView ndcg10VsControl,
      boolean shadow) {
    static VariantFiguresView of(ExperimentReport.VariantFigures f) {
      return new VariantFiguresView(
          f.variant(),
          f.lists(),
          f.impressions(),
          f.clicks(),
          f.purchases(),
          IntervalView.of(f.ctr()),
          IntervalView.of(f.conversion()),
          IntervalView.of(f.ndcg10()),
          finite(f.p50Ms()),
          finite(f.p99Ms()),
          finite(f.fallbackShare()),
          IntervalView.of(f.ctrVsControl()),
          IntervalView.of(f.ndcg10VsControl()),
          f.shadow());
    }
  }

  /**
   * The experiment (its fields at the top level) with its figures; {@code figures} null when the
   * analyst did not answer.
   */
  public record ExperimentDetail(
      @com.fasterxml.jackson.annotation.JsonUnwrapped ExperimentView experiment,
      List<VariantFiguresView> figures,
      Double sampleRatioPValue,
      Boolean sampleRatioMismatch,
      Long openLists,
      String note) {}

  /** A variant as the API shows it: {@code share} is its weight over the sum of weights. */
  public record VariantView(String name, int weight, double share, ServingPolicy policy) {}

  /** A shadow variant: scored on the served variants' requests, never served. */
  public record ShadowView(String name, ServingPolicy policy, String version) {}

  /**
   * An experiment as the API shows it; {@code stoppedAt} is null while it runs, {@code shadow} when
   * it has none.
   */
  public record ExperimentView(
      String name,
      String status,
      String control,
      List<VariantView> variants,
      ShadowView shadow,
      Instant createdAt,
      Instant stoppedAt) {
    static ExperimentView of(Experiment e) {
      int total = e.variants().stream().mapToInt(Variant::weight).sum();
      return new ExperimentView(
          e.name(),
          e.status().name().toLowerCase(java.util.Locale.ROOT),
          e.control(),
          e.variants().stream()
              .map(
                  v ->
                      new VariantView(
                          v.name(),
                          v.weight(),
                          Math.round(10_000.0 * v.weight() / total) / 10_000.0,
                          v.policy()))
              .toList(),
          e.shadowVariant()
              .map(s -> new ShadowView(s.name(), s.policy(), s.version()))
              .orElse(null),
          e.createdAt(),
          e.stoppedAt());
    }
  }

  public record ExperimentList(List<ExperimentView> experiments) {}

  public Route routes() {
    return pathPrefix(
        segment("v1").slash("experiments"),
        () ->
            concat(
                pathEnd(() -> concat(post(this::create), get(this::list))),
                pathPrefix(
                    segment(),
                    name ->
                        concat(
                            pathEnd(() -> get(() -> show(name))),
                            path("stop", () -> post(() -> stop(name)))))));
  }

  private Route create() {
    return withSizeLimit(
        MAX_BODY_BYTES,
        () ->
            entity(
                Unmarshaller.entityToString(),
                body -> {
                  ParseResult<pulse.engine.experiment.ExperimentSpec> parsed = parser.parse(body);
                  if (parsed instanceof ParseResult.Invalid<?> invalid) {
                    FieldError first = invalid.errors().get(0);
                    // The first broken rule, as every 400 of the API names one field.
                    return json(
                        StatusCodes.BAD_REQUEST, new ErrorBody(first.reason(), first.field()));
                  }
                  var spec =
                      ((ParseResult.Valid<pulse.engine.experiment.ExperimentSpec>) parsed).value();
                  return change(experiments.create(spec), StatusCodes.CREATED);
                }));
  }

  private Route list() {
    return json(
        StatusCodes.OK,
        new ExperimentList(experiments.list().stream().map(ExperimentView::of).toList()));
  }

  private Route show(String name) {
    Optional<Experiment> e = experiments.get(name);
    if (e.isEmpty()) {
      return json(StatusCodes.NOT_FOUND, new ErrorBody("no experiment named " + name, "name"));
    }
    if (analyst.isEmpty()) {
      return json(StatusCodes.OK, detail(e.get(), null, "the analyst is off on this node"));
    }
    CompletionStage<ExperimentAnalyst.Totals> totals =
        AskPattern.ask(
            analyst.get(),
            (ActorRef<ExperimentAnalyst.Totals> r) -> new ExperimentAnalyst.GetTotals(name, r),
            ANALYST_TIMEOUT,
            system.scheduler());
    return onComplete(
        totals,
        t ->
            t.isSuccess()
                ? json(
                    StatusCodes.OK,
                    detail(
                        e.get(),
                        ExperimentReport.of(e.get(), t.get().variants(), t.get().openLists()),
                        ExperimentReport.CONFIDENCE * 100
                            + "% intervals, fixed horizon: valid for one look, not for watching"))
                : json(
                    StatusCodes.OK,
                    detail(
                        e.get(),
                        null,
                        "the experiment analyst did not answer within "
                            + ANALYST_TIMEOUT.toSeconds()
                            + " s (it may be moving to another node); try again")));
  }

  private static ExperimentDetail detail(Experiment e, ExperimentReport r, String note) {
    return r == null
        ? new ExperimentDetail(ExperimentView.of(e), null, null, null, null, note)
        : new ExperimentDetail(
            ExperimentView.of(e),
            r.variants().stream().map(VariantFiguresView::of).toList(),
            finite(r.sampleRatioPValue()),
            r.sampleRatioMismatch(),
            r.openLists(),
            note);
  }

  private Route stop(String name) {
    return change(experiments.stop(name), StatusCodes.OK);
  }

  private Route change(
      CompletionStage<Experiments.Change> change, akka.http.javadsl.model.StatusCode ok) {
    return onComplete(
        change,
        result -> {
          if (result.isFailure()) {
            Throwable cause = Failures.unwrapCompletion(result.failed().get());
            return extractLog(
                log -> {
                  log.warning("changing an experiment failed: {}", cause.toString());
                  return json(
                      StatusCodes.SERVICE_UNAVAILABLE,
                      new ErrorBody("the experiment store is unavailable; try again", null));
                });
          }
          if (result.get() instanceof Experiments.Changed c) {
            return json(ok, ExperimentView.of(c.experiment()));
          }
          Experiments.Refused r = (Experiments.Refused) result.get();
          return json(
              r.why() == Experiments.Why.NOT_FOUND ? StatusCodes.NOT_FOUND : StatusCodes.CONFLICT,
              new ErrorBody(r.reason(), "name"));
        });
  }
}
