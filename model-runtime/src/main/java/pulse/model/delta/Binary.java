package pulse.model.delta;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import pulse.model.DenseTensor;

/**
 * The framing shared by deltas and checkpoints: 4 magic bytes, an int format version, the payload,
 * and a CRC32 of everything before it (4 bytes). Little-endian; strings are an int byte length (-1
 * = null) plus UTF-8; float and int arrays are written in bulk.
 */
final class Binary {
  static final int HEADER = 8;
  static final int TRAILER = 4;

  private Binary() {}

  static long stringSize(String s) {
    return 4L + (s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length);
  }

  static long tensorSize(String name, DenseTensor t) {
    return stringSize(name) + 4L + 8L * t.shape().length + 4L * t.values().length;
  }

  static final class Writer {
    private final ByteBuffer buf;

    Writer(long size, byte[] magic, int version, String what) {
      if (size > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException(
            what + " of " + size + " bytes does not fit in one byte array");
      }
      buf = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
      buf.put(magic).putInt(version);
    }

    Writer i32(int v) {
      buf.putInt(v);
      return this;
    }

    Writer u8(int v) {
      buf.put((byte) v);
      return this;
    }

    Writer string(String s) {
      if (s == null) {
        buf.putInt(-1);
      } else {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        buf.putInt(b.length).put(b);
      }
      return this;
    }

    Writer ints(int[] v) {
      buf.asIntBuffer().put(v);
      buf.position(buf.position() + 4 * v.length);
      return this;
    }

    Writer floats(float[] v) {
      buf.asFloatBuffer().put(v);
      buf.position(buf.position() + 4 * v.length);
      return this;
    }

    Writer tensor(String name, DenseTensor t) {
      string(name).i32(t.shape().length);
      for (long s : t.shape()) buf.putLong(s);
      return floats(t.values());
    }

    /** Appends the CRC32 of everything written so far and returns the bytes. */
    byte[] finish() {
      CRC32 crc = new CRC32();
      crc.update(buf.array(), 0, buf.position());
      buf.putInt((int) crc.getValue());
      if (buf.hasRemaining()) {
        throw new IllegalStateException(
            "size computed wrongly: " + buf.remaining() + " bytes left");
      }
      return buf.array();
    }
  }

  static final class Reader {
    private final ByteBuffer buf;
    private final String what;

    /** Checks length, magic, CRC and version, in that order, naming what is wrong. */
    Reader(byte[] data, byte[] magic, int version, String what) {
      this.what = what;
      if (data == null || data.length < HEADER + TRAILER) {
        throw new DeltaFormatException(
            "not a "
                + what
                + ": "
                + (data == null ? "null" : data.length + " bytes")
                + " is shorter than the header");
      }
      for (int i = 0; i < magic.length; i++) {
        if (data[i] != magic[i])
          throw new DeltaFormatException("not a " + what + " (wrong magic bytes)");
      }
      ByteBuffer all = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
      CRC32 crc = new CRC32();
      crc.update(data, 0, data.length - TRAILER);
      int stored = all.getInt(data.length - TRAILER);
      if (stored != (int) crc.getValue()) {
        throw new DeltaFormatException(
            what
                + " is damaged: CRC32 mismatch (stored "
                + Integer.toHexString(stored)
                + ", computed "
                + Long.toHexString(crc.getValue())
                + " over "
                + (data.length - TRAILER)
                + " bytes)");
      }
      int v = all.getInt(magic.length);
      if (v != version) {
        throw new DeltaFormatException(
            what + " format version " + v + " is not supported (expected " + version + ")");
      }
      buf = ByteBuffer.wrap(data, 0, data.length - TRAILER).order(ByteOrder.LITTLE_ENDIAN);
      buf.position(HEADER);
    }

    int i32() {
      try {
        return buf.getInt();
      } catch (BufferUnderflowException e) {
        throw truncated();
      }
    }

    int u8() {
      try {
        return buf.get() & 0xff;
      } catch (BufferUnderflowException e) {
        throw truncated();
      }
    }

    /** A count of elements of {@code elementBytes} each that must fit in what is left. */
    int count(int elementBytes) {
      int n = i32();
      if (n < 0 || (long) n * elementBytes > buf.remaining()) {
        throw new DeltaFormatException(
            what
                + " is malformed: count "
                + n
                + " does not fit in the "
                + buf.remaining()
                + " bytes left");
      }
      return n;
    }

    String string() {
      int n = i32();
      if (n == -1) return null;
      if (n < 0 || n > buf.remaining()) {
        throw new DeltaFormatException(what + " is malformed: string length " + n);
      }
      byte[] b = new byte[n];
      buf.get(b);
      return new String(b, StandardCharsets.UTF_8);
    }

    int[] ints(int n) {
      if ((long) n * 4 > buf.remaining()) throw truncated();
      int[] out = new int[n];
      buf.asIntBuffer().get(out);
      buf.position(buf.position() + 4 * n);
      return out;
    }

    float[] floats(long n) {
      if (n < 0 || n * 4 > buf.remaining()) throw truncated();
      float[] out = new float[(int) n];
      buf.asFloatBuffer().get(out);
      buf.position(buf.position() + 4 * (int) n);
      return out;
    }

    DenseTensor tensor(String name) {
      int rank = count(8);
      long[] shape = new long[rank];
      long size = 1;
      for (int i = 0; i < rank; i++) {
        shape[i] = buf.getLong();
        if (shape[i] < 0 || shape[i] > Integer.MAX_VALUE) {
          throw new DeltaFormatException(
              what + " is malformed: " + name + " has dimension " + shape[i]);
        }
        size *= shape[i];
        if (size > Integer.MAX_VALUE) {
          throw new DeltaFormatException(what + " is malformed: " + name + " is too big");
        }
      }
      return new DenseTensor(shape, floats(size));
    }

    void end() {
      if (buf.hasRemaining()) {
        throw new DeltaFormatException(
            what + " is malformed: " + buf.remaining() + " unread bytes");
      }
    }

    private DeltaFormatException truncated() {
      return new DeltaFormatException(what + " is malformed: it ends early");
    }
  }
}
