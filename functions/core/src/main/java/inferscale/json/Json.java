package inferscale.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;

/**
 * The one JSON configuration for payloads, policies and decisions: ISO-8601 times, strict reading
 * (unknown properties, nulls for numbers, trailing tokens and a field given twice are errors, as a
 * payload that says two things must not be half-obeyed).
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * What is wrong with a JSON text, as its author would put it: Jackson's complaint without its
   * internals (the source it redacted, the Java type or creator index it bound to).
   */
  public static String problem(JacksonException e) {
    String problem = e.getOriginalMessage();
    if (problem == null) {
      return e.getClass().getSimpleName();
    }
    for (String internals : List.of(" (start marker at", " (bound as", " (index ")) {
      int from = problem.indexOf(internals);
      problem = from < 0 ? problem : problem.substring(0, from);
    }
    if (problem.startsWith("No content to map")) {
      return "no JSON at all";
    }
    return problem.replace("Missing required creator property", "missing field");
  }

  /** " at line L, column C" where the text went wrong, or nothing when that is unknown. */
  public static String location(JacksonException e) {
    JsonLocation at = e.getLocation();
    return at == null || at.getColumnNr() < 1 ? ""
        : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }
}
