package pulse.model.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

  static String resource(String name) throws IOException {
    try (InputStream in = JsonCodecTest.class.getResourceAsStream(name)) {
      if (in == null) throw new IOException("no test resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Every case the earlier hand-written writer laid out in its own way. */
  private static Map<String, Object> awkwardValues() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "a \"q\" \\ \n\r\t\b\f\u0001 é ☃ / <x>");
    m.put("i", 42);
    m.put("l", 1234567890123L);
    m.put("d", 0.25);
    m.put("tiny", 1.0E-4);
    m.put("big", 1.5E7);
    m.put("f", 0.1f);
    m.put("neg", -3.0);
    m.put("b", true);
    m.put("n", null);
    m.put("emptyMap", Map.of());
    m.put("emptyList", List.of());
    m.put("scalars", List.of(1, "x", 2.5, false));
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("k", 2);
    inner.put("deeper", List.of(List.of(1, 2), Map.of("z", List.of())));
    m.put("objects", List.of(inner, Map.of("a", 1)));
    m.put("nested", new LinkedHashMap<>(Map.of("x", Map.of("y", 1))));
    return m;
  }

  @Test
  void writesTheBytesTheEarlierWriterWrote() throws IOException {
    // Both files were written by the hand-written writer this class replaced.
    assertEquals(resource("old-writer-layout.pretty.json"), JsonCodec.pretty(awkwardValues()));
    assertEquals(resource("old-writer-layout.compact.json"), JsonCodec.write(awkwardValues()));
  }

  @Test
  void parsesToLongsDoublesAndOrderedMaps() throws IOException {
    Object parsed = JsonCodec.parse(resource("old-writer-layout.pretty.json"));
    assertEquals(parsed, JsonCodec.parse(resource("old-writer-layout.compact.json")));
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) parsed;
    assertEquals(List.copyOf(awkwardValues().keySet()), List.copyOf(m.keySet()));
    assertEquals(42L, m.get("i"));
    assertEquals(0.25, m.get("d"));
    assertEquals("a \"q\" \\ \n\r\t\b\f\u0001 é ☃ / <x>", m.get("s"));
    assertEquals(List.of(1L, "x", 2.5, false), m.get("scalars"));
    assertEquals(resource("old-writer-layout.pretty.json"), JsonCodec.pretty(parsed));
  }

  @Test
  void refusesBrokenTextAndNonFiniteNumbers() {
    assertThrows(IllegalArgumentException.class, () -> JsonCodec.parse("{\"a\": 1"));
    assertThrows(IllegalArgumentException.class, () -> JsonCodec.parse("{\"a\": 1} x"));
    assertThrows(IllegalArgumentException.class, () -> JsonCodec.write(Map.of("a", Double.NaN)));
  }
}
