package pulse.model.export;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * The manifest's and the CLI's JSON, through Jackson, in exactly the bytes the module's earlier
 * hand-written writer produced, so existing model directories, checkpoints and scripts that read
 * the CLI's result lines see no change: {@link ManifestLayout}'s indentation, arrays of plain
 * values on one line, doubles (and floats, widened) as {@link Double#toString}, control characters
 * other than \n, \r and \t as lower-case hex escapes (backslash, u, four digits). Values are maps,
 * collections, strings, numbers, booleans and null; parsing gives LinkedHashMap, ArrayList, String,
 * Long, Double and Boolean.
 */
public final class JsonCodec {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              new JsonFactoryBuilder().characterEscapes(new ControlCharacterEscapes()).build())
          .addModule(
              new SimpleModule("pulse-model-json")
                  .addSerializer(Double.class, new DoubleAsBefore())
                  .addSerializer(Float.class, new FloatAsDouble())
                  .addSerializer(new ArrayLayout()))
          .enable(DeserializationFeature.USE_LONG_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final ObjectWriter ONE_LINE = MAPPER.writer();
  private static final ObjectWriter INDENTED = MAPPER.writer(new ManifestLayout());

  private JsonCodec() {}

  /** One line, no spaces: the CLI's result lines and the checkpoint's config. */
  public static String write(Object value) {
    try {
      return ONE_LINE.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Indented as {@code manifest.json} is, with a final newline. */
  public static String pretty(Object value) {
    try {
      return INDENTED.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * @throws IllegalArgumentException for text that is not exactly one JSON value
   */
  public static Object parse(String text) {
    try {
      return MAPPER.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** NaN and infinities are not JSON: refused rather than written as strings. */
  private static final class DoubleAsBefore extends StdSerializer<Double> {
    DoubleAsBefore() {
      super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      if (!Double.isFinite(value)) {
        throw new JsonGenerationException("non-finite number " + value + " in JSON", gen);
      }
      gen.writeNumber(value.doubleValue());
    }
  }

  /** 0.1f as 0.10000000149011612, as the earlier writer did, not as 0.1. */
  private static final class FloatAsDouble extends StdSerializer<Float> {
    FloatAsDouble() {
      super(Float.class);
    }

    @Override
    public void serialize(Float value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      new DoubleAsBefore().serialize(value.doubleValue(), gen, provider);
    }
  }

  /**
   * An array of plain values stays on one line even in the indented layout (a manifest's item ids:
   * one line however many), so for its elements the pretty printer is switched off.
   */
  private static final class ArrayLayout extends StdSerializer<Collection<?>> {
    ArrayLayout() {
      super(Collection.class, false);
    }

    @Override
    public void serialize(Collection<?> values, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartArray(values, values.size());
      PrettyPrinter layout = gen.getPrettyPrinter();
      if (values.stream().noneMatch(v -> v instanceof Map || v instanceof Iterable)) {
        gen.setPrettyPrinter(null);
      }
      try {
        for (Object v : values) provider.defaultSerializeValue(v, gen);
      } finally {
        gen.setPrettyPrinter(layout);
      }
      gen.writeEndArray();
    }
  }

  /** Jackson writes \b and \f short and other control characters as upper-case hex. */
  private static final class ControlCharacterEscapes extends CharacterEscapes {
    private final int[] ascii = standardAsciiEscapesForJSON();

    ControlCharacterEscapes() {
      for (int c = 0; c < 0x20; c++) {
        if (c != '\n' && c != '\r' && c != '\t') ascii[c] = ESCAPE_CUSTOM;
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch < 0x20 ? new SerializedString(String.format(Locale.ROOT, "\\u%04x", ch)) : null;
    }
  }
}
