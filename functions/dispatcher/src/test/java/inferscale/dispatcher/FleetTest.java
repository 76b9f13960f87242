package inferscale.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.aws.ForecastWiring;
import inferscale.aws.adapters.AccountQuotas;
import inferscale.aws.adapters.FleetDirectory;
import inferscale.aws.adapters.FleetQueue;
import inferscale.aws.adapters.MetricsReader;
import inferscale.aws.fleet.DispatchReport;
import inferscale.aws.fleet.FleetDispatcher;
import inferscale.aws.invocation.Deployment;
import inferscale.aws.invocation.InvalidRequestException;
import inferscale.aws.adapters.DecisionMetrics;
import inferscale.aws.adapters.InferScaleMetrics;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.adapters.MetricTarget;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.backtest.SimulationClock;
import inferscale.forecast.Forecaster;
import inferscale.forecaster.ForecastHandler;
import inferscale.json.Json;
import inferscale.scaler.ScalerHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Fleet mode against the emulator, as deployed: the dispatcher reads the endpoints' tags and sends
 * its turns to a FIFO queue (moto's SQS), the scaler carries out what the queue delivers.
 */
@ExtendWith(AwsEmulator.class)
class FleetTest {
  private static final String GPU = Fixtures.GPU_INSTANCE_TYPE;

  private final List<String> log = new ArrayList<>();
  private final Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
  private final SimulationClock clock = new SimulationClock(minute.plusSeconds(5));
  private TestAwsComponent aws;
  private String scalerQueue;
  private String forecastQueue;

  @BeforeEach
  void setUp() {
    aws = TestAwsComponent.create(clock);
    scalerQueue = fifoQueue(Fixtures.uniqueName("scaler") + ".fifo");
    forecastQueue = fifoQueue(Fixtures.uniqueName("forecast") + ".fifo");
  }

  private String fifoQueue(String name) {
    return aws.sqs().createQueue(b -> b.queueName(name).attributes(Map.of(
        QueueAttributeName.FIFO_QUEUE, "true",
        QueueAttributeName.VISIBILITY_TIMEOUT, "120"))).queueUrl();
  }

  private Map<String, String> environment() {
    return Map.of(DispatcherHandler.SCALER_QUEUE, scalerQueue,
        DispatcherHandler.FORECAST_QUEUE, forecastQueue, "CAPACITY_CHECK", "none",
        DispatcherHandler.FORECAST_INTERVAL, "20");
  }

  private JsonNode dispatch(String request) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new DispatcherHandler(aws.dispatcherWiring(), environment(), log::add).handleRequest(
        new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)), out, null);
    return Json.mapper().readTree(out.toByteArray());
  }

  /** Every message on the queue, taken off it (moto hands a FIFO group's messages in order). */
  private List<Message> drain(String queue) {
    List<Message> all = new ArrayList<>();
    List<Message> got;
    do {
      got = aws.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)
          .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages();
      all.addAll(got);
      got.forEach(m -> aws.sqs().deleteMessage(b -> b.queueUrl(queue)
          .receiptHandle(m.receiptHandle())));
    } while (!got.isEmpty());
    return all;
  }

  /** The event Lambda's SQS poller hands a function for these messages. */
  private static byte[] sqsEvent(List<Message> messages) {
    ObjectNode event = Json.mapper().createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Message m : messages) {
      records.addObject().put("messageId", m.messageId()).put("body", m.body())
          .put("eventSource", "aws:sqs").put("eventSourceARN", "arn:aws:sqs:us-east-1:1:q.fifo");
    }
    return event.toString().getBytes(StandardCharsets.UTF_8);
  }

  private JsonNode scale(List<Message> messages) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ScalerHandler(aws.scalerWiring(), Map.of("CAPACITY_CHECK", "none"), log::add)
        .handleRequest(new ByteArrayInputStream(sqsEvent(messages)), out, null);
    return Json.mapper().readTree(out.toByteArray());
  }

  /** 40 minutes of requests at {@code rps}, through the last whole minute. */
  private void requests(String endpoint, double rps) {
    double[] sums = new double[40];
    Arrays.fill(sums, rps * 60);
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT),
        minute.minus(sums.length, ChronoUnit.MINUTES), sums);
  }

  private int desired(String endpoint) {
    return aws.sageMaker().describeEndpoint(b -> b.endpointName(endpoint)).productionVariants()
        .get(0).desiredInstanceCount();
  }

  private List<JsonNode> outcomes() throws Exception {
    List<JsonNode> outcomes = new ArrayList<>();
    for (String line : log) {
      if (line.startsWith("{\"endpointName\"") && line.contains("\"decision\"")) {
        outcomes.add(Json.mapper().readTree(line));
      }
    }
    return outcomes;
  }

  private static Map<String, String> tags(String... keyValues) {
    Map<String, String> tags = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      tags.put(keyValues[i], keyValues[i + 1]);
    }
    return tags;
  }

  @Test
  void oneDispatcherCycleScalesTheTaggedEndpointsAndNoOther() throws Exception {
    String a = Fixtures.uniqueName("fleet-a");
    String b = Fixtures.uniqueName("fleet-b");
    String c = Fixtures.uniqueName("fleet-c");
    String untagged = Fixtures.uniqueName("fleet-untagged");
    String invalid = Fixtures.uniqueName("fleet-invalid");
    String interval = Fixtures.uniqueName("fleet-interval");
    Fixtures.createEndpoint(aws.sageMaker(), a, 1, tags("inferscale:enabled", "true",
        "inferscale:policy", "bounds.maxInstances=8 targets.rpsPerInstance=5"));
    Fixtures.createEndpoint(aws.sageMaker(), b, 1, tags("inferscale:enabled", "true",
        "inferscale:variant", Fixtures.VARIANT, "inferscale:policy", "targets.rpsPerInstance=10",
        "inferscale:policy-2", "scaleOut.maxPercent=300 priority=3"));
    Fixtures.createEndpoint(aws.sageMaker(), c, 1, tags("inferscale:enabled", "true",
        "inferscale:policy", "targets.rpsPerInstance=4 timing.coldStartMinutes=8"));
    Fixtures.createEndpoint(aws.sageMaker(), untagged, 1, Map.of());
    Fixtures.createEndpoint(aws.sageMaker(), invalid, 1, tags("inferscale:enabled", "true",
        "inferscale:policy", "bounds.maxInstances=lots targets.rpsPerInstance=5"));
    // The forecasts' cadence is the stack's: an endpoint cannot set it.
    Fixtures.createEndpoint(aws.sageMaker(), interval, 1, tags("inferscale:enabled", "true",
        "inferscale:policy", "timing.forecastIntervalMinutes=30"));
    for (String endpoint : List.of(a, b, c, untagged, invalid, interval)) {
      requests(endpoint, 60);
    }

    JsonNode report = dispatch("{\"fanOut\": \"scaler\"}");

    assertEquals(3, report.get("turns").size(), report.toPrettyString());
    assertEquals(3, report.get("sent").asInt());
    assertEquals(2, report.get("skipped").size(), report.toPrettyString());
    JsonNode skipped = report.get("skipped").get(0).get("endpointName").asText().equals(invalid)
        ? report.get("skipped").get(0) : report.get("skipped").get(1);
    assertEquals(invalid, skipped.get("endpointName").asText());
    String error = skipped.get("error").asText();
    assertTrue(error.contains("tag inferscale:policy") && error.contains("bounds.maxInstances"),
        error);
    assertTrue(log.stream().anyMatch(l -> l.contains("\"level\":\"ERROR\"")
        && l.contains(invalid) && l.contains("bounds.maxInstances")), String.join("\n", log));
    // The first reads were made here, for all three in one request.
    assertEquals(1, report.get("metricReads").asInt(), report.toPrettyString());

    List<Message> messages = drain(scalerQueue);
    assertEquals(3, messages.size());
    JsonNode first = Json.mapper().readTree(messages.get(0).body());
    assertTrue(first.at("/fleet/read/series/REQUESTS").size() > 0, first.toPrettyString());
    assertEquals(20, first.at("/policy/timing.forecastIntervalMinutes").asInt(),
        "the stack's forecast cadence: " + first.toPrettyString());
    assertTrue(report.toString().contains("tag inferscale:policy: timing.forecastIntervalMinutes"
        + " is the stack's ForecastIntervalMinutes"), report.toPrettyString());

    JsonNode answer = scale(messages);

    assertEquals(0, answer.get("batchItemFailures").size(), answer.toPrettyString());
    assertTrue(desired(a) > 1, "a: " + desired(a));
    assertTrue(desired(b) > 1, "b: " + desired(b));
    assertTrue(desired(c) > 1, "c: " + desired(c));
    assertEquals(1, desired(untagged));
    assertEquals(1, desired(invalid));
    assertEquals(1, desired(interval));
    assertEquals(3, outcomes().size());
  }

  @Test
  void anInferenceComponentOptsInByItsOwnTagsAndItsNeighbourStaysAlone() throws Exception {
    String endpoint = Fixtures.uniqueName("fleet-ic");
    String chat = Fixtures.uniqueName("chat");
    String embed = Fixtures.uniqueName("embed");
    List<String> arns = Fixtures.createComponentEndpoint(aws.sageMaker(), endpoint,
        "ml.g5.12xlarge", 2, false, 1, chat, embed);
    aws.sageMaker().addTags(b -> b.resourceArn(arns.get(0)).tags(
        Tag.builder().key("inferscale:enabled").value("true").build(),
        Tag.builder().key("inferscale:policy").value("bounds.maxInstances=6"
            + " targets.rpsPerInstance=2").build()));
    for (String component : List.of(chat, embed)) {
      double[] sums = new double[40];
      Arrays.fill(sums, 8 * 60.0); // 8 a second: 4 copies at 2 each
      Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
          MetricTarget.of(endpoint, null, component).sageMakerDimensions(),
          minute.minus(sums.length, ChronoUnit.MINUTES), sums);
    }

    JsonNode report = dispatch("{}");

    assertEquals(1, report.get("turns").size(), report.toPrettyString());
    assertEquals(endpoint + "/" + chat, report.at("/turns/0/endpoint").asText());
    scale(drain(scalerQueue));
    assertEquals(4, aws.sageMaker().describeInferenceComponent(b -> b.inferenceComponentName(chat))
        .runtimeConfig().desiredCopyCount());
    assertEquals(1, aws.sageMaker().describeInferenceComponent(
        b -> b.inferenceComponentName(embed)).runtimeConfig().desiredCopyCount());
  }

  @Test
  void aTurnDeliveredTwiceIsCarriedOutOnceAndASendRepeatedInTheMinuteIsDropped()
      throws Exception {
    String endpoint = Fixtures.uniqueName("fleet-dup");
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 1, tags("inferscale:enabled", "true",
        "inferscale:policy", "bounds.maxInstances=16 targets.rpsPerInstance=5",
        "inferscale:policy-2", "scaleOut.maxPercent=100 scaleOut.minStep=1 scaleOut.panicThreshold=50"));
    requests(endpoint, 60); // wants 12; a step at most doubles

    dispatch("{}");
    dispatch("{}"); // the dispatcher retried within the minute: SQS drops the same turn
    List<Message> messages = drain(scalerQueue);
    assertEquals(1, messages.size());

    scale(messages);
    int afterFirst = desired(endpoint);
    assertEquals(2, afterFirst);
    // Delivered again in the next minute (a retried batch; SQS delivers at least once), when a
    // fresh cycle would double the count again.
    clock.set(minute.plusSeconds(70));
    JsonNode again = scale(messages);

    assertEquals(0, again.get("batchItemFailures").size());
    assertEquals(afterFirst, desired(endpoint), "the second delivery must not scale again");
    JsonNode second = outcomes().get(1);
    assertTrue(second.get("notApplied").toString().contains("SUPERSEDED"),
        second.toPrettyString());
    assertEquals(4, second.at("/decision/to").asInt(), "what it would have asked for");
  }

  @Test
  void twoEndpointsCompetingForOneTypesQuotaShareItByPriority(AwsEmulator.Running emulator)
      throws Exception {
    // Named so that the higher priority sorts last: equal priorities would favour the first name.
    String high = Fixtures.uniqueName("quota-b-high");
    String low = Fixtures.uniqueName("quota-a-low");
    String other = Fixtures.uniqueName("quota-other");
    emulator.setEndpointQuota(GPU, 4);
    Fixtures.createEndpoint(aws.sageMaker(), high, GPU, 1, tags("inferscale:enabled", "true",
        "inferscale:policy", "bounds.maxInstances=8 targets.rpsPerInstance=5 priority=10"));
    Fixtures.createEndpoint(aws.sageMaker(), low, GPU, 1, tags("inferscale:enabled", "true",
        "inferscale:policy", "bounds.maxInstances=8 targets.rpsPerInstance=5 priority=1"));
    Fixtures.createEndpoint(aws.sageMaker(), other, GPU, 1, Map.of()); // not ours, counts too
    for (String endpoint : List.of(high, low)) {
      requests(endpoint, 60);
      // What each one's last cycle needed, as its scaler records it.
      Fixtures.putPerMinute(aws.cloudWatch(), InferScaleMetrics.NAMESPACE, DecisionMetrics.NEEDED,
          MetricTarget.variant(endpoint, Fixtures.VARIANT).dimensions(),
          minute.minus(2, ChronoUnit.MINUTES), 6, 6);
    }

    JsonNode report = dispatch("{}");

    // 4 in quota, 3 held: the one left goes to the higher priority.
    JsonNode quota = report.get("quotas").get(0);
    assertEquals(GPU, quota.get("instanceType").asText());
    assertEquals(4, quota.get("quota").asInt());
    assertEquals(3, quota.get("inUse").asInt());
    scale(drain(scalerQueue));
    assertEquals(2, desired(high));
    assertEquals(1, desired(low));
    assertEquals(1, desired(other));
    for (JsonNode outcome : outcomes()) {
      assertTrue(outcome.at("/decision/reasons").toString().contains("QUOTA_LIMITED"),
          outcome.toPrettyString());
      assertFalse(outcome.get("notApplied").toString().contains("UPDATE_FAILED"),
          outcome.toPrettyString());
    }
  }

  @Test
  void theForecastersFanOutCarriesEachEndpointsRequest() throws Exception {
    String endpoint = Fixtures.uniqueName("fleet-forecast");
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 1, tags("inferscale:enabled", "true",
        "inferscale:policy", "targets.rpsPerInstance=5"));
    requests(endpoint, 60);

    JsonNode report = dispatch("{\"fanOut\": \"forecaster\"}");

    assertEquals(1, report.get("sent").asInt(), report.toPrettyString());
    List<Message> messages = drain(forecastQueue);
    assertEquals(1, messages.size());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ForecastHandler(new ForecastWiring(aws.metricsReader(), aws.metricsPublisher(),
        aws.tagging(), Forecaster.standard(), clock), Map.of(), log::add)
        .handleRequest(new ByteArrayInputStream(sqsEvent(messages)), out, null);
    assertEquals(0, Json.mapper().readTree(out.toByteArray()).get("batchItemFailures").size());
    JsonNode outcome = Json.mapper().readTree(log.get(log.size() - 1));
    assertEquals(endpoint, outcome.get("endpointName").asText(), outcome.toPrettyString());
    // It read this endpoint's 39 minutes of requests: too few to forecast from, as it says.
    assertEquals(39, outcome.get("minutesWithData").asInt(), outcome.toPrettyString());
  }

  @Test
  void aBadRequestNamesEachFieldAndSendsNothing() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> dispatch("{\"fanOut\": \"both\", \"dryrun\": true}"));

    assertEquals(List.of("unknown field 'dryrun'; known fields are [fanOut, dryRun]",
        "fanOut must be scaler or forecaster, got \"both\""), e.problems());
    assertTrue(drain(scalerQueue).isEmpty());
  }

  @Test
  void withoutMetricsTheTurnsStillGoUnreadAheadAndUnshared() throws Exception {
    String endpoint = Fixtures.uniqueName("fleet-blind");
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 1, tags("inferscale:enabled", "true"));
    // As the SDK fails a read that times out.
    MetricsReader unreachable = (queries, from, to) -> {
      throw SdkClientException.create("HTTP request execution did not complete in time");
    };
    FleetDispatcher dispatcher = new FleetDispatcher(
        new FleetDirectory(aws.sageMaker(), aws.tagging()), new AccountQuotas(aws.serviceQuotas()),
        new FleetQueue(aws.sqs()), unreachable, clock, Duration.ofMinutes(5));

    DispatchReport report = dispatcher.dispatch(FleetDispatcher.FanOut.SCALER,
        Deployment.standard(), 15, scalerQueue, false, log::add);

    assertEquals(1, report.sent());
    assertTrue(report.notes().stream().anyMatch(n -> n.startsWith("nothing read ahead")),
        report.notes().toString());
    JsonNode turn = Json.mapper().readTree(drain(scalerQueue).get(0).body());
    assertTrue(turn.at("/fleet/read").isMissingNode(), turn.toPrettyString());
  }

  @Test
  void aDryRunPlansWithoutSendingAndAQuotaThatHoldsEveryMaximumIsNotShared(
      AwsEmulator.Running emulator) throws Exception {
    String endpoint = Fixtures.uniqueName("fleet-dry");
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 1, tags("inferscale:enabled", "true",
        "inferscale:policy", "bounds.maxInstances=8"));
    emulator.setEndpointQuota(Fixtures.INSTANCE_TYPE, 50);

    JsonNode report = dispatch("{\"dryRun\": true}");

    assertEquals(1, report.get("turns").size(), report.toPrettyString());
    assertEquals(0, report.get("sent").asInt());
    assertTrue(drain(scalerQueue).isEmpty());
    // 50 hold it at its 8: no share, and no read of the scalers' records for one.
    assertEquals(50, report.at("/quotas/0/quota").asInt(), report.toPrettyString());
    assertTrue(report.at("/turns/0/maxInstances").isMissingNode()
        || report.at("/turns/0/maxInstances").isNull(), report.toPrettyString());
    assertEquals(1, report.get("metricReads").asInt(), "the read ahead only");
  }
}
