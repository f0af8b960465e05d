package pulse.http;

import akka.actor.ActorSystem;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.server.RouteResult;
import akka.http.javadsl.testkit.RouteTest;
import akka.http.javadsl.testkit.TestRouteResult;
import akka.stream.Materializer;
import akka.stream.SystemMaterializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import scala.concurrent.Future;

/**
 * akka-http-testkit's route tests (no socket: a request runs through the route in memory) reporting
 * through JUnit 5; the testkit's own JUnitRouteTest is JUnit 4, which this build does not run. One
 * actor system per test class.
 */
abstract class JupiterRouteTest extends RouteTest {
  private static ActorSystem system;

  @BeforeAll
  static void startSystem() {
    system = ActorSystem.create("route-test");
  }

  @AfterAll
  static void stopSystem() {
    system.terminate();
  }

  @Override
  public ActorSystem system() {
    return system;
  }

  @Override
  public Materializer materializer() {
    return SystemMaterializer.get(system).materializer();
  }

  @Override
  public TestRouteResult createTestRouteResultAsync(
      HttpRequest request, Future<RouteResult> result) {
    return new TestRouteResult(result, awaitDuration(), system.dispatcher(), materializer()) {
      @Override
      public void fail(String message) {
        Assertions.fail(message);
      }

      @Override
      public void assertEquals(Object expected, Object actual, String message) {
        Assertions.assertEquals(expected, actual, message);
      }

      @Override
      public void assertEquals(int expected, int actual, String message) {
        Assertions.assertEquals(expected, actual, message);
      }

      @Override
      public void assertTrue(boolean predicate, String message) {
        Assertions.assertTrue(predicate, message);
      }
    };
  }
}
