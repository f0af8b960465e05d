package pulse.engine.metrics;

import java.util.List;

/**
 * A value that is set rather than counted, optionally split by labels; e.g. an info metric whose
 * one series is 1 ({@code pulse_model_version_info{version="..."}}). For a value read from
 * elsewhere at scrape time, use {@link Metrics#gauge(String, String,
 * java.util.function.DoubleSupplier)}.
 */
public final class Gauge extends Metric {

  /** One labelled series. */
  public static final class Child {
    private volatile double value;

    public void set(double v) {
      value = v;
    }

    public double value() {
      return value;
    }
  }

  private final Children<Child> children;

  Gauge(String name, String help, List<String> labelNames) {
    super(name, help, labelNames);
    this.children = new Children<>(name, labelNames, values -> new Child());
  }

  public Child labels(String... values) {
    return children.get(values);
  }

  /** Drops a series from the scrape (an info metric's previous value, say). */
  public void remove(String... values) {
    children.remove(values);
  }

  /** For an unlabelled gauge. */
  public void set(double v) {
    children.only().set(v);
  }

  @Override
  String type() {
    return "gauge";
  }

  @Override
  void writeSamples(StringBuilder out) {
    for (Children.Entry<Child> e : children.entries()) {
      TextFormat.appendValue(sampleStart(out, name, e.labels()), e.child().value());
      out.append('\n');
    }
  }
}
