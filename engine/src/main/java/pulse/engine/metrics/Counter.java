package pulse.engine.metrics;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A monotonically increasing count, optionally split by labels. Whole numbers only: everything
 * Pulse counts is a number of things, and a {@link LongAdder} keeps contended increments off a
 * single cache line.
 */
public final class Counter extends Metric {

  /** One labelled series. Hold on to it when the label values are fixed, to skip the lookup. */
  public static final class Child {
    private final LongAdder count = new LongAdder();

    public void inc() {
      count.increment();
    }

    public void inc(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("a counter only goes up, got " + n);
      }
      count.add(n);
    }

    public long value() {
      return count.sum();
    }
  }

  private final Children<Child> children;

  Counter(String name, String help, List<String> labelNames) {
    super(name, help, labelNames);
    this.children = new Children<>(name, labelNames, values -> new Child());
  }

  public Child labels(String... values) {
    return children.get(values);
  }

  /** For an unlabelled counter. */
  public void inc() {
    children.only().inc();
  }

  /** For an unlabelled counter. */
  public void inc(long n) {
    children.only().inc(n);
  }

  /** For an unlabelled counter. */
  public long value() {
    return children.only().value();
  }

  @Override
  String type() {
    return "counter";
  }

  @Override
  void writeSamples(StringBuilder out) {
    for (Children.Entry<Child> e : children.entries()) {
      sampleStart(out, name, e.labels()).append(e.child().value()).append('\n');
    }
  }
}
