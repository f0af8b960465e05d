package pulse.engine.metrics;

import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * An unlabelled gauge whose value is read at scrape time, e.g. a queue's depth: nothing to update
 * on the hot path, and the value is current when Prometheus asks.
 */
public final class CallbackGauge extends Metric {
  private volatile DoubleSupplier source;

  CallbackGauge(String name, String help, DoubleSupplier source) {
    super(name, help, List.of());
    this.source = source;
  }

  /**
   * Points the gauge at a new source. Registering the same name again does this, because the owner
   * of the value (an actor, a queue) can be recreated within one actor system, and the gauge must
   * follow the live one.
   */
  void source(DoubleSupplier s) {
    source = s;
  }

  public double value() {
    try {
      return source.getAsDouble();
    } catch (RuntimeException e) {
      // A failing source must not fail the whole scrape; NaN says "unknown" to Prometheus.
      return Double.NaN;
    }
  }

  @Override
  String type() {
    return "gauge";
  }

  @Override
  void writeSamples(StringBuilder out) {
    TextFormat.appendValue(sampleStart(out, name, ""), value());
    out.append('\n');
  }
}
