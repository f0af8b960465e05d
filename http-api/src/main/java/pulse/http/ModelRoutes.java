package pulse.http;

import static akka.http.javadsl.server.PathMatchers.segment;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import akka.pattern.StatusReply;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import pulse.engine.PulseEngine;
import pulse.engine.common.Failures;
import pulse.engine.inference.InferencePool;
import pulse.engine.ingest.ExperimentParser;
import pulse.engine.learning.OnlineLearner;
import pulse.engine.versions.Candidates;
import pulse.engine.versions.VersionRecord;
import pulse.model.export.ModelDirectory;
import pulse.model.export.ModelLoadException;
import scala.jdk.javaapi.DurationConverters;

/**
 * {@code GET /v1/model}: what this node serves, the learner's state (version, prequential window,
 * pause reason, the version each node serves, update latencies) and the stored version history with
 * metrics. {@code POST /v1/model/rollback} ({@code {"version": "..."}}), {@code POST
 * /v1/model/pause}, {@code /resume}.
 */
public final class ModelRoutes extends JsonSupport {
  /**
   * A rollback loads a whole version from Cassandra and waits for the learner's current step; on a
   * busy node that outlasts akka.http.server.request-timeout (10 s), so the control routes get
   * their own timeout, under HAProxy's 60 s server timeout, and the ask ends just before it.
   */
  private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(55);

  private static final Duration ASK = CONTROL_TIMEOUT.minusSeconds(5);

  /**
   * The learner is a cluster singleton, and its proxy holds messages while none runs (the cluster
   * is forming, its node left, it restarts after a failure): a control command would wait the whole
   * {@link #ASK}. So the learner is asked for its state first, briefly; no answer means 409 at
   * once, well inside akka.http.server.request-timeout (10 s). A busy learner answers between two
   * mini-batch steps (well under a second each).
   */
  static final Duration LEARNER_PROBE = Duration.ofSeconds(4);

  private final ActorRef<InferencePool.Command> pool;
  private final Optional<PulseEngine.Learning> learning;
  private final ActorSystem<?> system;
  private final String modelDir;

  public ModelRoutes(
      ActorRef<InferencePool.Command> pool,
      Optional<PulseEngine.Learning> learning,
      ActorSystem<?> system,
      String modelDir) {
    this.pool = pool;
    this.learning = learning;
    this.system = system;
    this.modelDir = modelDir;
  }

  /** This node's pool; {@code pinned}: the versions it holds for experiments and canaries. */
  public record NodeModel(
      String version,
      String modelDir,
      int queued,
      int workers,
      int idleWorkers,
      List<String> pinned) {}

  /** {@code version} repeats node.version for clients that only want that. */
  public record ModelAnswer(
      String version, NodeModel node, OnlineLearner.State learner, List<VersionRecord> history) {}

  public record Done(String result) {}

  public Route routes() {
    return pathPrefix(
        segment("v1").slash("model"),
        () ->
            concat(
                pathEnd(() -> get(this::describe)),
                path("pause", () -> post(() -> control(OnlineLearner.Pause::new))),
                path("resume", () -> post(() -> control(OnlineLearner.Resume::new))),
                path(
                    "rollback",
                    () ->
                        post(() -> entity(Unmarshaller.entityToString(), body -> rollback(body)))),
                path(
                    "candidates",
                    () ->
                        post(
                            () ->
                                entity(
                                    Unmarshaller.entityToString(),
                                    body ->
                                        withRequestTimeout(
                                            DurationConverters.toScala(CONTROL_TIMEOUT),
                                            () -> candidate(body)))))));
  }

  private Route describe() {
    CompletionStage<InferencePool.Status> status =
        AskPattern.ask(
            pool,
            InferencePool.GetStatus::new,
            Duration.ofSeconds(10),
            system.scheduler()); // generous: a node under load at start still answers
    CompletionStage<OnlineLearner.State> learner =
        learning
            .map(
                l ->
                    AskPattern.<OnlineLearner.Command, OnlineLearner.State>ask(
                            l.learner(),
                            OnlineLearner.GetState::new,
                            Duration.ofSeconds(5),
                            system.scheduler())
                        .exceptionally(e -> null))
            .orElse(CompletableFuture.completedFuture(null));
    CompletionStage<List<VersionRecord>> history =
        learning
            .map(l -> l.store().listed(20).exceptionally(e -> List.of()))
            .orElse(CompletableFuture.completedFuture(List.of()));
    // learner and history never fail (they fall back to null and empty): only the pool's answer
    // can.
    CompletionStage<ModelAnswer> answer =
        status.thenCompose(
            s -> {
              NodeModel node =
                  new NodeModel(
                      s.version(), modelDir, s.queued(), s.workers(), s.idleWorkers(), s.pinned());
              return learner.thenCombine(
                  history, (l, h) -> new ModelAnswer(s.version(), node, l, h));
            });
    return onComplete(
        answer,
        result ->
            result.isSuccess()
                ? json(StatusCodes.OK, result.get())
                : json(
                    StatusCodes.SERVICE_UNAVAILABLE,
                    new ErrorBody("the inference pool did not answer", null)));
  }

  private Route control(Function<ActorRef<StatusReply<String>>, OnlineLearner.Command> command) {
    return withRequestTimeout(
        DurationConverters.toScala(CONTROL_TIMEOUT), () -> askLearner(command));
  }

  private Route askLearner(Function<ActorRef<StatusReply<String>>, OnlineLearner.Command> command) {
    if (learning.isEmpty()) {
      return json(
          StatusCodes.CONFLICT,
          new ErrorBody("online learning is disabled (pulse.learning.enabled)", null));
    }
    ActorRef<OnlineLearner.Command> learner = learning.get().learner();
    return onComplete(
        AskPattern.<OnlineLearner.Command, OnlineLearner.State>ask(
            learner, OnlineLearner.GetState::new, LEARNER_PROBE, system.scheduler()),
        probe ->
            probe.isSuccess()
                ? answer(AskPattern.askWithStatus(learner, command::apply, ASK, system.scheduler()))
                : json(
                    StatusCodes.CONFLICT,
                    new ErrorBody(
                        "no online learner runs in the cluster now (it is starting, restarting"
                            + " after a failure, or its node left); try again shortly",
                        null)));
  }

  private Route rollback(String body) {
    String version;
    try {
      JsonNode n = MAPPER.readTree(body);
      version = n == null ? null : n.path("version").asText(null);
    } catch (Exception e) {
      return json(
          StatusCodes.BAD_REQUEST, new ErrorBody("body must be JSON: {\"version\": \"...\"}", "$"));
    }
    if (version == null || version.isBlank()) {
      return json(StatusCodes.BAD_REQUEST, new ErrorBody("version is required", "version"));
    }
    String v = version;
    return control(r -> new OnlineLearner.Rollback(v, r));
  }

  /**
   * {@code {"dir": "name"}}: the exported model in that folder of the model directory becomes a
   * candidate version (for a canary rollout); 201 {@code {"result": version}}. The number comes
   * from the learner, the blob is written from this node.
   */
  private Route candidate(String body) {
    String dir;
    try {
      JsonNode n = MAPPER.readTree(body);
      dir = n == null ? null : n.path("dir").asText(null);
    } catch (Exception e) {
      return json(
          StatusCodes.BAD_REQUEST, new ErrorBody("body must be JSON: {\"dir\": \"...\"}", "$"));
    }
    if (dir == null || !ExperimentParser.NAME.matcher(dir).matches()) {
      return json(
          StatusCodes.BAD_REQUEST,
          new ErrorBody(
              "dir must name a folder of the model directory (1-64 of A-Z a-z 0-9 . _ -)", "dir"));
    }
    Path folder = Path.of(modelDir).resolve(dir);
    if (!Files.isRegularFile(folder.resolve(ModelDirectory.MANIFEST))) {
      return json(
          StatusCodes.BAD_REQUEST,
          new ErrorBody("no exported model (manifest) in " + folder, "dir"));
    }
    if (learning.isEmpty()) {
      return json(
          StatusCodes.CONFLICT,
          new ErrorBody(
              "candidates go to the version store, which online learning keeps, and"
                  + " pulse.learning.enabled is off",
              null));
    }
    PulseEngine.Learning l = learning.get();
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    CompletionStage<String> stored =
        AskPattern.<OnlineLearner.Command, Long>askWithStatus(
                l.learner(), OnlineLearner.ReserveSeq::new, LEARNER_PROBE, system.scheduler())
            .thenApplyAsync(
                seq -> {
                  try {
                    return Candidates.store(l.store(), folder, seq, l.settings().sessionThreads());
                  } catch (Exception e) {
                    throw new CompletionException(e);
                  }
                },
                blocking);
    return onComplete(
        stored,
        r -> {
          if (r.isSuccess()) {
            return json(StatusCodes.CREATED, new Done(r.get()));
          }
          Throwable cause = Failures.unwrapCompletion(r.failed().get());
          return json(
              cause instanceof IllegalArgumentException || cause instanceof ModelLoadException
                  ? StatusCodes.CONFLICT
                  : StatusCodes.SERVICE_UNAVAILABLE,
              new ErrorBody("the candidate was not stored: " + cause.getMessage(), null));
        });
  }

  private Route answer(CompletionStage<String> reply) {
    return onComplete(
        reply,
        r ->
            r.isSuccess()
                ? json(StatusCodes.OK, new Done(r.get()))
                : json(
                    r.failed().get() instanceof StatusReply.ErrorMessage
                        ? StatusCodes.CONFLICT
                        : StatusCodes.SERVICE_UNAVAILABLE,
                    new ErrorBody(
                        r.failed().get() instanceof StatusReply.ErrorMessage
                            ? r.failed().get().getMessage()
                            : "the online learner did not answer in time",
                        null)));
  }
}
