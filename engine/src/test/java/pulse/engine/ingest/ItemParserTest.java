package pulse.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pulse.engine.event.Item;

class ItemParserTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ItemParser parser = new ItemParser();

  private static ObjectNode valid() {
    ObjectNode n = JSON.createObjectNode();
    n.put("itemId", "i1");
    return n;
  }

  private Item parseValid(ObjectNode n) {
    return Results.valid(parser.parse(n));
  }

  private void assertOnlyField(String field, ObjectNode n) {
    List<FieldError> errors = Results.errors(parser.parse(n));
    assertEquals(1, errors.size(), errors::toString);
    assertEquals(field, errors.get(0).field(), errors::toString);
  }

  @Test
  void onlyTheIdIsRequiredAndAvailableDefaultsToTrue() {
    assertEquals(new Item("i1", null, List.of(), null, null, true, Map.of()), parseValid(valid()));
  }

  @Test
  void aFullItemIsParsedWithDuplicateCategoriesDroppedAndScalarAttributesAsText() {
    ObjectNode n = valid();
    n.put("title", "Kind of Blue");
    n.putArray("categories").add("jazz").add("vinyl").add("jazz");
    n.put("brand", "Columbia");
    n.put("price", 24.5);
    n.put("available", false);
    n.putObject("attributes").put("year", 1959).put("remastered", true).put("label", "CBS");
    assertEquals(
        new Item(
            "i1",
            "Kind of Blue",
            List.of("jazz", "vinyl"),
            "Columbia",
            24.5,
            false,
            Map.of("year", "1959", "remastered", "true", "label", "CBS")),
        parseValid(n));
  }

  @Test
  void theIdIsRequiredNonBlankAndBounded() {
    ObjectNode n = valid();
    n.remove("itemId");
    assertOnlyField("itemId", n);
    n.put("itemId", "");
    assertOnlyField("itemId", n);
    n.put("itemId", "x".repeat(129));
    assertOnlyField("itemId", n);
  }

  @Test
  void categoriesMustBeABoundedArrayOfNonBlankStrings() {
    ObjectNode n = valid();
    n.put("categories", "jazz");
    assertOnlyField("categories", n);
    n.putArray("categories").add("jazz").add(" ");
    assertOnlyField("categories[1]", n);
    n.putArray("categories").add(3);
    assertOnlyField("categories[0]", n);
    var many = n.putArray("categories");
    for (int i = 0; i < 33; i++) {
      many.add("c" + i);
    }
    assertOnlyField("categories", n);
  }

  @Test
  void priceTitleBrandAndAvailableAreTypeChecked() {
    ObjectNode n = valid();
    n.put("price", -0.01);
    assertOnlyField("price", n);
    n.remove("price");
    n.put("title", "t".repeat(513));
    assertOnlyField("title", n);
    n.remove("title");
    n.put("brand", 5);
    assertOnlyField("brand", n);
    n.remove("brand");
    n.put("available", "yes");
    assertOnlyField("available", n);
  }

  @Test
  void attributesMustBeAFlatObjectOfScalars() {
    ObjectNode n = valid();
    n.putObject("attributes").putObject("nested").put("a", 1);
    assertOnlyField("attributes.nested", n);
    n.putObject("attributes").putArray("list");
    assertOnlyField("attributes.list", n);
    n.putObject("attributes").put("long", "v".repeat(513));
    assertOnlyField("attributes.long", n);
    n.put("attributes", 1);
    assertOnlyField("attributes", n);
  }

  @Test
  void unknownFieldsAndBadJsonAreRejected() {
    ObjectNode n = valid();
    n.put("colour", "red");
    assertOnlyField("colour", n);
    ParseResult<Item> bad = parser.parse("{\"itemId\":");
    assertEquals(List.of("$"), Results.errors(bad).stream().map(FieldError::field).toList());
  }

  @Test
  void batchesHavePerIndexResults() {
    BatchParseResult<Item> r = parser.parseBatch("[{\"itemId\":\"a\"},{\"itemId\":\"\"}]");
    List<ParseResult<Item>> results = Results.perElement(r).results();
    assertInstanceOf(ParseResult.Valid.class, results.get(0));
    assertInstanceOf(ParseResult.Invalid.class, results.get(1));
    assertEquals("$", Results.rejected(parser.parseBatch("{}")).field());
  }

  @Test
  void itemsSurviveCbor() throws Exception {
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    Item item = new Item("i", "t", List.of("a", "b"), "b", 1.5, true, Map.of("k", "v"));
    assertEquals(item, cbor.readValue(cbor.writeValueAsBytes(item), Item.class));
  }
}
