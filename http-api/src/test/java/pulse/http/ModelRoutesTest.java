package pulse.http;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.StatusCodes;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.engine.PulseEngine;
import pulse.engine.inference.InferencePool;
import pulse.engine.learning.OnlineLearner;
import scala.concurrent.duration.FiniteDuration;

/**
 * The model's control routes when no learner answers, as when the learner singleton has no node to
 * run on: a JSON 409 within seconds, not a wait for the control timeout. The routes' happy paths
 * run against a real learner in LearningIT.
 */
class ModelRoutesTest extends JupiterRouteTest {
  private static ActorTestKit testKit;
  private static ModelRoutes routes;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("model-routes-test");
    // What a singleton proxy does while no singleton runs: keep the message, answer nothing.
    ActorRef<OnlineLearner.Command> silentLearner =
        testKit.spawn(Behaviors.ignore(), "silent-learner");
    ActorRef<InferencePool.Command> pool = testKit.spawn(Behaviors.ignore(), "pool");
    routes =
        new ModelRoutes(
            pool,
            Optional.of(new PulseEngine.Learning(silentLearner, null, null)),
            testKit.system(),
            "model");
  }

  /** An answer must come inside akka.http.server.request-timeout (10 s), or the test fails. */
  @Override
  public FiniteDuration awaitDuration() {
    return FiniteDuration.create(9, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aRollbackWhileNoLearnerRunsIsAConflictWithinTheRequestTimeout() {
    testRoute(routes.routes())
        .run(
            HttpRequest.POST("/v1/model/rollback")
                .withEntity(ContentTypes.APPLICATION_JSON, "{\"version\":\"v-unknown\"}"))
        .assertStatusCode(StatusCodes.CONFLICT)
        .assertMediaType("application/json");
  }

  @Test
  void pauseAndResumeWhileNoLearnerRunsAreConflicts() {
    for (String control : new String[] {"pause", "resume"}) {
      testRoute(routes.routes())
          .run(HttpRequest.POST("/v1/model/" + control))
          .assertStatusCode(StatusCodes.CONFLICT)
          .assertMediaType("application/json");
    }
  }
}
