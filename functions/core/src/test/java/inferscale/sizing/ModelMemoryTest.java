package inferscale.sizing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelMemoryTest {
  private static final ModelCatalog CATALOG = ModelCatalog.builtIn();

  private static ModelSpec model(String name) {
    return CATALOG.find(name).orElseThrow();
  }

  /** The weights table AWS publishes for 16-, 8- and 4-bit precision, in decimal GB. */
  @ParameterizedTest
  @CsvSource({"7, 14, 7, 3.5", "13, 26, 13, 6.5", "70, 140, 70, 35"})
  void weightsMatchTheAwsTable(double billions, double fp16, double int8, double int4) {
    ModelSpec model = new ModelSpec("m", null, billions, 32, 8, 128);
    assertEquals(fp16, model.weightsBytes(WeightPrecision.FP16) / 1e9, 1e-9);
    assertEquals(int8, model.weightsBytes(WeightPrecision.INT8) / 1e9, 1e-9);
    assertEquals(int4, model.weightsBytes(WeightPrecision.INT4) / 1e9, 1e-9);
  }

  @Test
  void groupedQueryAttentionShrinksTheKvCachePerToken() {
    assertEquals(512 * 1024, model("llama-2-7b").kvBytesPerToken(KvPrecision.FP16));
    assertEquals(128 * 1024, model("llama-3.1-8b").kvBytesPerToken(KvPrecision.FP16));
    assertEquals(64 * 1024, model("llama-3.1-8b").kvBytesPerToken(KvPrecision.FP8));
    assertEquals(320 * 1024, model("llama-3.1-70b").kvBytesPerToken(KvPrecision.FP16));
    assertEquals(56 * 1024, model("qwen2.5-7b").kvBytesPerToken(KvPrecision.FP16));
  }

  @Test
  void catalogHoldsThePopularOpenModelsAndFindsThemIgnoringCase() {
    assertTrue(
        CATALOG
            .names()
            .containsAll(
                List.of(
                    "llama-2-7b", "llama-2-13b", "llama-2-70b", "llama-3.1-8b", "llama-3.1-70b",
                    "mistral-7b", "mixtral-8x7b", "qwen2.5-7b", "qwen2.5-72b")),
        CATALOG.names().toString());
    assertEquals("llama-3.1-70b", CATALOG.find("Llama-3.1-70B").orElseThrow().name());
    assertTrue(CATALOG.find("gpt-5").isEmpty());
    assertTrue(CATALOG.read().matches("\\d{4}-\\d{2}-\\d{2}"), CATALOG.read());
  }

  @Test
  void impossibleArchitectureNamesTheField() {
    var zeroLayers =
        assertThrows(
            InvalidSizingInputException.class, () -> new ModelSpec("m", null, 7, 0, 8, 128));
    assertEquals("layers", zeroLayers.field());
    assertEquals("must be a positive whole number, found 0", zeroLayers.problem());
    var nanParameters =
        assertThrows(
            InvalidSizingInputException.class,
            () -> new ModelSpec("m", null, Double.NaN, 32, 8, 128));
    assertEquals("parametersBillions", nanParameters.field());
  }

  @Test
  void modelFileUsesTheCatalogEntryFormat() {
    ModelSpec model =
        ModelCatalog.parseModel(
            "m.json",
            new StringReader(
                "{\"name\": \"my-13b\", \"parametersBillions\": 13, \"layers\": 40,"
                    + " \"kvHeads\": 8, \"headDim\": 128}"));
    assertEquals(2L * 40 * 8 * 128 * 2, model.kvBytesPerToken(KvPrecision.FP16));

    var negative =
        assertThrows(
            InvalidSizingInputException.class,
            () ->
                ModelCatalog.parseModel(
                    "m.json",
                    new StringReader(
                        "{\"name\": \"x\", \"parametersBillions\": 13,\n \"layers\": -4,"
                            + " \"kvHeads\": 8, \"headDim\": 128}")));
    assertEquals("layers", negative.field());
    assertTrue(negative.problem().contains("found -4"), negative.problem());

    var malformed =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelCatalog.parseModel("m.json", new StringReader("{\"name\": ")));
    assertTrue(malformed.getMessage().startsWith("m.json"), malformed.getMessage());

    var missing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ModelCatalog.parseModel(
                    "m.json",
                    new StringReader(
                        "{\"name\": \"x\", \"parametersBillions\": 13, \"layer\": 40,"
                            + " \"kvHeads\": 8, \"headDim\": 128}")));
    assertTrue(missing.getMessage().contains("'layers'"), missing.getMessage());
  }
}
