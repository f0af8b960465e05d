package pulse.model;

/** A variable's value copied out of (or into) the graph: row-major floats plus shape. */
public record DenseTensor(long[] shape, float[] values) {
  public DenseTensor {
    long n = 1;
    for (long s : shape) n *= s;
    if (n != values.length)
      throw new IllegalArgumentException("shape does not match " + values.length + " values");
  }

  public int rows() {
    return (int) shape[0];
  }

  public int rowWidth() {
    return shape.length < 2 ? 1 : (int) (values.length / shape[0]);
  }
}
