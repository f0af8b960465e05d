package pulse.model.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void roundTripsNestedValues() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "a \"q\" \\ \n");
    m.put("i", 42L);
    m.put("d", 0.25);
    m.put("b", true);
    m.put("n", null);
    m.put("l", List.of(1L, "x", Map.of("k", 2L)));
    assertEquals(m, Json.parse(Json.write(m)));
    assertEquals(m, Json.parse(Json.pretty(m)));
  }

  @Test
  void rejectsBrokenText() {
    assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1"));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1} x"));
  }
}
