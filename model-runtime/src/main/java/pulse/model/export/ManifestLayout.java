package pulse.model.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.util.Instantiatable;
import java.io.IOException;

/**
 * The indentation {@code manifest.json} has always had: two spaces per level, {@code "key": value},
 * empty containers as {@code {}} and {@code []}, and an array's elements each on its own line with
 * the closing bracket straight after the last one. (Arrays of plain values stay on one line: {@link
 * JsonCodec} switches the printer off for them.) Stateful, so one instance per document.
 */
final class ManifestLayout implements PrettyPrinter, Instantiatable<ManifestLayout> {
  private int depth;

  @Override
  public ManifestLayout createInstance() {
    return new ManifestLayout();
  }

  private void newline(JsonGenerator g) throws IOException {
    g.writeRaw("\n" + "  ".repeat(depth));
  }

  @Override
  public void writeRootValueSeparator(JsonGenerator g) {}

  @Override
  public void writeStartObject(JsonGenerator g) throws IOException {
    g.writeRaw('{');
    depth++;
  }

  @Override
  public void beforeObjectEntries(JsonGenerator g) throws IOException {
    newline(g);
  }

  @Override
  public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
    g.writeRaw(": ");
  }

  @Override
  public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
    g.writeRaw(',');
    newline(g);
  }

  @Override
  public void writeEndObject(JsonGenerator g, int entries) throws IOException {
    depth--;
    if (entries > 0) newline(g);
    g.writeRaw('}');
  }

  @Override
  public void writeStartArray(JsonGenerator g) throws IOException {
    g.writeRaw('[');
    depth++;
  }

  @Override
  public void beforeArrayValues(JsonGenerator g) throws IOException {
    newline(g);
  }

  @Override
  public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
    g.writeRaw(',');
    newline(g);
  }

  @Override
  public void writeEndArray(JsonGenerator g, int values) throws IOException {
    depth--;
    g.writeRaw(']');
  }
}
