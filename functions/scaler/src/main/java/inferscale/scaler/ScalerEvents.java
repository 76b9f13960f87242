package inferscale.scaler;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.InvalidRequestException;
import inferscale.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.joda.time.DateTime;

/**
 * Turns what Lambda hands the scaler into the schedule payload. EventBridge Scheduler (the SAM
 * template's {@code ScheduleV2}) and a manual invoke deliver the payload itself; an EventBridge rule
 * delivers a scheduled-event envelope with the payload in {@code detail}. Both are accepted.
 */
final class ScalerEvents {
  private ScalerEvents() {}

  static JsonNode read(byte[] input) {
    try {
      JsonNode node = Json.mapper().readTree(input);
      if (node == null || node.isMissingNode()) {
        throw new InvalidRequestException(List.of("the request is empty; expected a JSON object "
            + "with endpointName and variantName"));
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(
          List.of("the request is not valid JSON: " + e.getOriginalMessage()));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True for an EventBridge event envelope (it has {@code detail-type} and {@code detail}). */
  static boolean isEnvelope(JsonNode node) {
    return node.isObject() && node.has("detail-type") && node.has("detail");
  }

  /** The schedule payload: the node itself, or an envelope's {@code detail}. */
  static JsonNode payload(JsonNode node) {
    if (!isEnvelope(node)) {
      return node;
    }
    ScheduledEvent event = envelope(node);
    if (event.getDetail() == null) {
      throw new InvalidRequestException(List.of(
          "detail must hold the schedule payload (endpointName, variantName, policy, dryRun)"));
    }
    return Json.mapper().valueToTree(event.getDetail());
  }

  static ScheduledEvent envelope(JsonNode node) {
    ScheduledEvent event = new ScheduledEvent();
    event.setId(text(node, "id"));
    event.setVersion(text(node, "version"));
    event.setAccount(text(node, "account"));
    event.setRegion(text(node, "region"));
    event.setSource(text(node, "source"));
    event.setDetailType(text(node, "detail-type"));
    String time = text(node, "time");
    if (time != null) {
      try {
        event.setTime(DateTime.parse(time));
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException(List.of("time must be an ISO-8601 timestamp, got "
            + time));
      }
    }
    JsonNode resources = node.get("resources");
    if (resources != null && resources.isArray()) {
      List<String> list = new ArrayList<>();
      resources.forEach(r -> list.add(r.asText()));
      event.setResources(list);
    }
    JsonNode detail = node.get("detail");
    if (detail.isObject()) {
      event.setDetail(Json.mapper().convertValue(detail,
          new TypeReference<Map<String, Object>>() {}));
    } else if (!detail.isNull()) {
      throw new InvalidRequestException(List.of(
          "detail must be a JSON object (the schedule payload), got " + detail.getNodeType()));
    }
    return event;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
