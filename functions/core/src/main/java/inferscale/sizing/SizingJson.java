package inferscale.sizing;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import inferscale.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the sizing catalogs and model files, and writes the report, with one Jackson setup. */
final class SizingJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private SizingJson() {}

  /**
   * Parses {@code source} as a {@code type}. Errors name {@code name} and, for malformed JSON, the
   * line; a rejected value keeps its {@link InvalidSizingInputException} so callers can name it.
   */
  static <T> T read(String name, Reader source, Class<T> type) {
    try (Reader reader = source) {
      return MAPPER.readValue(reader, type);
    } catch (ValueInstantiationException e) {
      if (e.getCause() instanceof InvalidSizingInputException invalid) {
        throw new InvalidSizingInputException(invalid.field(), invalid.problem() + atLine(e));
      }
      throw new IllegalArgumentException(describe(name, e), e);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(describe(name, e), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  /** {@code source} as a JSON tree; errors name {@code name} and the line. */
  static JsonNode tree(String name, Reader source) {
    try (Reader reader = source) {
      return MAPPER.readTree(reader);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(describe(name, e), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  /** A catalog shipped in this jar next to the class that reads it. */
  static <T> T readBuiltIn(String resource, Class<T> type) {
    InputStream stream = SizingJson.class.getResourceAsStream(resource);
    if (stream == null) {
      throw new IllegalStateException("built-in catalog " + resource + " is missing from the jar");
    }
    return read("built-in:" + resource, new InputStreamReader(stream, StandardCharsets.UTF_8), type);
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  private static String describe(String name, JacksonException e) {
    return name + atLine(e) + ": " + Json.problem(e);
  }

  private static String atLine(JacksonException e) {
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 0 ? "" : " (line " + at.getLineNr() + ")";
  }
}
