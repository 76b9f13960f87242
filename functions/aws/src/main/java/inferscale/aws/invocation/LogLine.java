package inferscale.aws.invocation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.json.Json;
import java.util.List;
import java.util.Map;

/**
 * One structured log line, the same shape from both functions: {@code level}, {@code message},
 * the endpoint variant when known, then the line's own fields. CloudWatch Logs Insights queries key
 * on them.
 */
public final class LogLine {
  private final ObjectNode node = Json.mapper().createObjectNode();

  private LogLine(String level, String message) {
    node.put("level", level).put("message", message);
  }

  public static LogLine error(String message) {
    return new LogLine("ERROR", message);
  }

  public static LogLine info(String message) {
    return new LogLine("INFO", message);
  }

  public static LogLine warn(String message) {
    return new LogLine("WARN", message);
  }

  /** A request refused before any AWS call, with every problem. */
  public static LogLine invalidRequest(InvalidRequestException e) {
    return error("invalid request").with("problems", e.problems());
  }

  /** A request that used deprecated fields: each with what replaces it. */
  public static LogLine deprecated(Map<String, String> fields) {
    return warn("the request uses deprecated fields; give them as the grouped policy does")
        .with("deprecatedFields", fields);
  }

  /** A request whose policy gives budget bounds it cannot use: each in a sentence. */
  public static LogLine unusedBudgetBounds(List<String> sentences) {
    return warn("the policy gives budget bounds it cannot use").with("unusedBudgetBounds",
        sentences);
  }

  /** A run that failed, as a hold: the failure's fields after the message. */
  public static LogLine failed(String message, CycleFailure failure) {
    return error(message).withAll(Json.mapper().valueToTree(failure));
  }

  public LogLine endpoint(String endpointName, String variantName) {
    node.put("endpointName", endpointName).put("variantName", variantName);
    return this;
  }

  /** The line with {@code value}, serialised as JSON, under {@code field}. */
  public LogLine with(String field, Object value) {
    node.set(field, Json.mapper().valueToTree(value));
    return this;
  }

  private LogLine withAll(ObjectNode json) {
    node.setAll(json);
    return this;
  }

  @Override
  public String toString() {
    return node.toString();
  }
}
