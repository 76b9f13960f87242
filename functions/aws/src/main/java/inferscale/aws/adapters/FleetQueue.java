package inferscale.aws.adapters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The fleet's fan-out: an SQS FIFO queue, one message group per endpoint (so at most one of its
 * cycles is in flight, in order), each message deduplicated by its group and minute (so a retried
 * send within SQS's 5-minute window is dropped, not carried out twice). Sent ten to a request, the
 * most SendMessageBatch takes.
 */
public final class FleetQueue {
  /** SendMessageBatch's limits: 10 messages, 256 KiB together. */
  static final int BATCH_MESSAGES = 10;
  static final int BATCH_BYTES = 256 * 1024;

  /** One message: the group it is ordered in (an endpoint's unit) and its body. */
  public record Turn(String groupId, String body) {}

  private final SqsClient sqs;

  public FleetQueue(SqsClient sqs) {
    this.sqs = sqs;
  }

  /**
   * @return the groups whose message SQS refused, each with why
   * @throws inferscale.control.PortFailure when a request fails as a whole
   */
  public List<String> send(String queueUrl, Instant cycle, List<Turn> turns) {
    List<String> refused = new ArrayList<>();
    List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
    int bytes = 0;
    for (int i = 0; i < turns.size(); i++) {
      Turn turn = turns.get(i);
      int size = turn.body().getBytes(StandardCharsets.UTF_8).length;
      if (batch.size() == BATCH_MESSAGES || (!batch.isEmpty() && bytes + size > BATCH_BYTES)) {
        refused.addAll(sendBatch(queueUrl, batch));
        batch.clear();
        bytes = 0;
      }
      batch.add(SendMessageBatchRequestEntry.builder().id("t" + i).messageBody(turn.body())
          .messageGroupId(turn.groupId())
          .messageDeduplicationId(deduplicationId(turn.groupId(), cycle)).build());
      bytes += size;
    }
    if (!batch.isEmpty()) {
      refused.addAll(sendBatch(queueUrl, batch));
    }
    return refused;
  }

  private List<String> sendBatch(String queueUrl, List<SendMessageBatchRequestEntry> batch) {
    SendMessageBatchResponse response = AwsFailures.call("SendMessageBatch",
        () -> sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(batch)));
    List<String> refused = new ArrayList<>();
    for (BatchResultErrorEntry error : response.failed()) {
      String group = batch.stream().filter(e -> e.id().equals(error.id())).findFirst()
          .map(SendMessageBatchRequestEntry::messageGroupId).orElse(error.id());
      refused.add(group + ": " + error.code() + " " + error.message());
    }
    return refused;
  }

  /** At most 128 characters whatever the names: a hash of the group and the minute. */
  static String deduplicationId(String groupId, Instant cycle) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest((groupId + "@" + cycle).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
