package pulse.engine.health;

import akka.actor.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The management endpoint's readiness check ({@code akka.management.health-checks}): the same
 * verdict as the HTTP port's {@code GET /ready}. Akka Management instantiates it by class name with
 * the (classic) actor system.
 */
public final class PulseReadinessCheck implements Supplier<CompletionStage<Boolean>> {
  private final Readiness readiness;

  public PulseReadinessCheck(ActorSystem system) {
    this.readiness = Readiness.get(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    return readiness.check().thenApply(Readiness.Report::ready);
  }
}
