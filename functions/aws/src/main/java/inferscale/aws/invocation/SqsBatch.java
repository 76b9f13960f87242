package inferscale.aws.invocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A batch of messages an SQS queue hands a function (the fleet's fan-out), and the partial-batch
 * answer Lambda reads back ({@code ReportBatchItemFailures}): the messages listed are retried, then
 * moved to the dead-letter queue.
 */
public final class SqsBatch {
  private SqsBatch() {}

  /** One message: its id, to report it failed, and its body. */
  public record Message(String messageId, byte[] body) {}

  /** The messages of an SQS event, or null when {@code input} is not one. */
  public static List<Message> messages(byte[] input) {
    JsonNode event;
    try {
      event = Json.mapper().readTree(input);
    } catch (IOException e) {
      return null;
    }
    JsonNode records = event == null ? null : event.get("Records");
    if (records == null || !records.isArray() || records.isEmpty()
        || !"aws:sqs".equals(records.get(0).path("eventSource").asText())) {
      return null;
    }
    List<Message> messages = new ArrayList<>();
    for (JsonNode record : records) {
      messages.add(new Message(record.path("messageId").asText(),
          record.path("body").asText().getBytes(StandardCharsets.UTF_8)));
    }
    return messages;
  }

  /**
   * Runs {@code cycle} on each message's body, in order, and answers with the messages to retry:
   * an invalid one (a bug in what sent it, which the dead-letter queue's alarm surfaces) and every
   * one after it, as a FIFO queue's order asks.
   */
  public static String run(List<Message> batch, Consumer<byte[]> cycle) {
    ObjectNode response = Json.mapper().createObjectNode();
    ArrayNode failures = response.putArray("batchItemFailures");
    boolean failed = false;
    for (Message message : batch) {
      if (!failed) {
        try {
          cycle.accept(message.body());
          continue;
        } catch (InvalidRequestException e) {
          failed = true; // the cycle logged it, naming each bad field
        }
      }
      failures.addObject().put("itemIdentifier", message.messageId());
    }
    return response.toString();
  }
}
