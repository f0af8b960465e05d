package pulse.engine.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Observations counted into fixed buckets, optionally split by labels. Each bucket counts only its
 * own range; the scrape makes them cumulative ({@code le}) and derives {@code _count} from the same
 * reads, so {@code _count} always equals the {@code +Inf} bucket in one scrape.
 */
public final class Histogram extends Metric {

  /** One labelled series. Hold on to it when the label values are fixed, to skip the lookup. */
  public static final class Child {
    private final double[] bounds;

    /** bounds.length + 1 adders, the last one for values above every bound (+Inf). */
    private final LongAdder[] buckets;

    private final DoubleAdder sum = new DoubleAdder();

    Child(double[] bounds) {
      this.bounds = bounds;
      this.buckets = new LongAdder[bounds.length + 1];
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    /** NaN is ignored: it would make {@code _sum} NaN for the life of the process. */
    public void observe(double v) {
      if (Double.isNaN(v)) {
        return;
      }
      // Linear: with ~15 bounds and most values in the first few, this beats a binary search.
      int i = 0;
      while (i < bounds.length && v > bounds[i]) {
        i++;
      }
      buckets[i].increment();
      sum.add(v);
    }

    public long count() {
      long n = 0;
      for (LongAdder b : buckets) {
        n += b.sum();
      }
      return n;
    }

    public double sum() {
      return sum.sum();
    }
  }

  private final double[] bounds;
  private final String[] boundLabels;
  private final Children<Child> children;

  Histogram(String name, String help, double[] bucketUpperBounds, List<String> labelNames) {
    super(name, help, labelNames);
    if (labelNames.contains("le")) {
      throw new IllegalArgumentException(name + ": \"le\" is the bucket label of a histogram");
    }
    this.bounds = checkBounds(name, bucketUpperBounds);
    this.boundLabels = new String[bounds.length + 1];
    for (int i = 0; i < bounds.length; i++) {
      boundLabels[i] = TextFormat.bound(bounds[i]);
    }
    boundLabels[bounds.length] = "+Inf";
    this.children = new Children<>(name, labelNames, values -> new Child(bounds));
  }

  /**
   * Finite, strictly increasing; a trailing +Inf is dropped because every histogram has that bucket
   * anyway.
   */
  private static double[] checkBounds(String name, double[] given) {
    double[] b =
        given.length > 0 && given[given.length - 1] == Double.POSITIVE_INFINITY
            ? Arrays.copyOf(given, given.length - 1)
            : given.clone();
    for (int i = 0; i < b.length; i++) {
      if (!Double.isFinite(b[i]) || (i > 0 && b[i] <= b[i - 1])) {
        throw new IllegalArgumentException(
            name
                + ": bucket bounds must be finite and strictly increasing, got "
                + Arrays.toString(given));
      }
    }
    return b;
  }

  public Child labels(String... values) {
    return children.get(values);
  }

  /** For an unlabelled histogram. */
  public void observe(double v) {
    children.only().observe(v);
  }

  /** For an unlabelled histogram. */
  public Child only() {
    return children.only();
  }

  @Override
  String type() {
    return "histogram";
  }

  @Override
  boolean sameShape(Metric other) {
    return super.sameShape(other) && Arrays.equals(bounds, ((Histogram) other).bounds);
  }

  @Override
  String describe() {
    return super.describe() + " and buckets " + Arrays.toString(bounds);
  }

  @Override
  void writeSamples(StringBuilder out) {
    for (Children.Entry<Child> e : children.entries()) {
      String labels = e.labels();
      String sep = labels.isEmpty() ? "" : ",";
      Child c = e.child();
      long cumulative = 0;
      for (int i = 0; i < c.buckets.length; i++) {
        cumulative += c.buckets[i].sum();
        out.append(name)
            .append("_bucket{")
            .append(labels)
            .append(sep)
            .append("le=\"")
            .append(boundLabels[i])
            .append("\"} ")
            .append(cumulative)
            .append('\n');
      }
      TextFormat.appendValue(sampleStart(out, name + "_sum", labels), c.sum());
      out.append('\n');
      sampleStart(out, name + "_count", labels).append(cumulative).append('\n');
    }
  }
}
