package pulse.model.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for the manifest and the CLI's result lines (objects, arrays, strings, numbers,
 * booleans, null), so the module needs no JSON library. Numbers parse to Long when integral, else
 * Double.
 */
public final class Json {
  private Json() {}

  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, -1, 0);
    return sb.toString();
  }

  public static String pretty(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 2, 0);
    return sb.append('\n').toString();
  }

  private static void write(StringBuilder sb, Object v, int indent, int depth) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      quote(sb, s);
    } else if (v instanceof Double d) {
      if (!Double.isFinite(d)) throw new IllegalArgumentException("non-finite number in JSON");
      sb.append(d);
    } else if (v instanceof Float f) {
      write(sb, (double) f, indent, depth);
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (var e : m.entrySet()) {
        if (!first) sb.append(',');
        first = false;
        newline(sb, indent, depth + 1);
        quote(sb, String.valueOf(e.getKey()));
        sb.append(indent >= 0 ? ": " : ":");
        write(sb, e.getValue(), indent, depth + 1);
      }
      if (!m.isEmpty()) newline(sb, indent, depth);
      sb.append('}');
    } else if (v instanceof Iterable<?> it) {
      sb.append('[');
      boolean first = true;
      boolean scalars = true;
      for (Object o : it) scalars &= !(o instanceof Map) && !(o instanceof Iterable);
      for (Object o : it) {
        if (!first) sb.append(',');
        first = false;
        if (!scalars) newline(sb, indent, depth + 1);
        write(sb, o, scalars ? -1 : indent, depth + 1);
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass() + " as JSON");
    }
  }

  private static void newline(StringBuilder sb, int indent, int depth) {
    if (indent < 0) return;
    sb.append('\n');
    sb.append(" ".repeat(indent * depth));
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }

  public static Object parse(String text) {
    Parser p = new Parser(text);
    Object v = p.value();
    p.ws();
    if (p.i != text.length()) throw p.error("trailing characters");
    return v;
  }

  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("invalid JSON at offset " + i + ": " + what);
    }

    void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    Object value() {
      ws();
      if (i >= s.length()) throw error("unexpected end");
      char c = s.charAt(i);
      return switch (c) {
        case '{' -> object();
        case '[' -> array();
        case '"' -> string();
        case 't' -> literal("true", Boolean.TRUE);
        case 'f' -> literal("false", Boolean.FALSE);
        case 'n' -> literal("null", null);
        default -> number();
      };
    }

    Object literal(String word, Object v) {
      if (!s.startsWith(word, i)) throw error("bad literal");
      i += word.length();
      return v;
    }

    Map<String, Object> object() {
      Map<String, Object> m = new LinkedHashMap<>();
      i++;
      ws();
      if (peek() == '}') {
        i++;
        return m;
      }
      while (true) {
        ws();
        if (peek() != '"') throw error("expected key");
        String k = string();
        ws();
        if (peek() != ':') throw error("expected ':'");
        i++;
        m.put(k, value());
        ws();
        char c = peek();
        i++;
        if (c == '}') return m;
        if (c != ',') throw error("expected ',' or '}'");
      }
    }

    List<Object> array() {
      List<Object> l = new ArrayList<>();
      i++;
      ws();
      if (peek() == ']') {
        i++;
        return l;
      }
      while (true) {
        l.add(value());
        ws();
        char c = peek();
        i++;
        if (c == ']') return l;
        if (c != ',') throw error("expected ',' or ']'");
      }
    }

    char peek() {
      if (i >= s.length()) throw error("unexpected end");
      return s.charAt(i);
    }

    String string() {
      StringBuilder sb = new StringBuilder();
      i++;
      while (true) {
        char c = peek();
        i++;
        if (c == '"') return sb.toString();
        if (c == '\\') {
          char e = peek();
          i++;
          switch (e) {
            case '"', '\\', '/' -> sb.append(e);
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'u' -> {
              if (i + 4 > s.length()) throw error("bad escape");
              sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
            }
            default -> throw error("bad escape");
          }
        } else {
          sb.append(c);
        }
      }
    }

    Number number() {
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      String t = s.substring(start, i);
      if (t.isEmpty()) throw error("unexpected character");
      try {
        if (t.contains(".") || t.contains("e") || t.contains("E")) return Double.parseDouble(t);
        return Long.parseLong(t);
      } catch (NumberFormatException e) {
        throw error("bad number " + t);
      }
    }
  }
}
