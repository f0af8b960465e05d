package pulse.http;

import static akka.http.javadsl.server.PathMatchers.segment;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import java.time.Duration;
import pulse.engine.inference.InferencePool;

/** {@code GET /v1/model}: the model version this node serves (null while none is loaded) and its pool's state. */
public final class ModelRoutes extends JsonSupport {
  private final ActorRef<InferencePool.Command> pool;
  private final ActorSystem<?> system;
  private final String modelDir;

  public ModelRoutes(ActorRef<InferencePool.Command> pool, ActorSystem<?> system, String modelDir) {
    this.pool = pool;
    this.system = system;
    this.modelDir = modelDir;
  }

  public record ModelAnswer(String version, String modelDir, int queued, int workers, int idleWorkers) {}

  public Route routes() {
    return path(segment("v1").slash("model"), () -> get(() -> onComplete(
        AskPattern.<InferencePool.Command, InferencePool.Status>ask(pool, InferencePool.GetStatus::new,
            Duration.ofSeconds(3), system.scheduler()),
        result -> result.isSuccess()
            ? json(StatusCodes.OK, new ModelAnswer(result.get().version(), modelDir, result.get().queued(),
                result.get().workers(), result.get().idleWorkers()))
            : json(StatusCodes.SERVICE_UNAVAILABLE, new ErrorBody("the inference pool did not answer", null)))));
  }
}
