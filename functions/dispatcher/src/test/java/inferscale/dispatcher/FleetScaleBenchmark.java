package inferscale.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.aws.adapters.DecisionMetrics;
import inferscale.aws.adapters.InferScaleMetrics;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.backtest.SimulationClock;
import inferscale.json.Json;
import inferscale.scaler.ScalerHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The fleet at scale, against the emulator: N tagged endpoints (default 200; {@code
 * -Dfleet.endpoints=N}), one full fleet cycle (the dispatcher, then the scaler on every turn in
 * Lambda's batches of 10) and one forecast fan-out. Prints the wall time, the AWS calls by API,
 * the turns' sizes and each function's peak heap. A benchmark, not a test: surefire's default
 * includes leave it out; run it with
 * {@code mvn -pl functions/dispatcher -am test -Dtest=FleetScaleBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfleet.endpoints=200}.
 */
@ExtendWith(AwsEmulator.class)
class FleetScaleBenchmark {
  private static final int ENDPOINTS = Integer.getInteger("fleet.endpoints", 200);
  private final Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
  private final SimulationClock clock = new SimulationClock(minute.plusSeconds(5));
  private final List<String> log = new ArrayList<>();

  @Test
  void oneFleetCycle(AwsEmulator.Running emulator) throws Exception {
    TestAwsComponent aws = TestAwsComponent.create(clock);
    // Half the fleet on the GPU type, each holding 1 and needing 3: the quota covers half of
    // what they ask for, which the dispatcher shares by priority.
    emulator.setEndpointQuota(Fixtures.GPU_INSTANCE_TYPE, ENDPOINTS);
    String queue = aws.sqs().createQueue(b -> b.queueName(Fixtures.uniqueName("bench") + ".fifo")
        .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
    String forecasts = aws.sqs().createQueue(b -> b.queueName(Fixtures.uniqueName("fc") + ".fifo")
        .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
    long setUp = System.nanoTime();
    List<MetricDatum> data = new ArrayList<>();
    List<MetricDatum> records = new ArrayList<>();
    for (int i = 0; i < ENDPOINTS; i++) {
      String name = String.format("bench-%04d", i);
      // Every other endpoint on the GPU type whose quota the fleet shares.
      Fixtures.createEndpoint(aws.sageMaker(), name, i % 2 == 0 ? Fixtures.GPU_INSTANCE_TYPE
          : Fixtures.INSTANCE_TYPE, 1, Map.of("inferscale:enabled", "true",
          "inferscale:policy", "bounds.maxInstances=8 targets.rpsPerInstance=" + (4 + i % 7)
              + " priority=" + (i % 3)));
      List<Dimension> dims = List.of(Dimension.builder().name("EndpointName").value(name).build(),
          Dimension.builder().name("VariantName").value(Fixtures.VARIANT).build());
      for (int m = 40; m >= 1; m--) {
        data.add(MetricDatum.builder().metricName("Invocations").dimensions(dims)
            .timestamp(minute.minus(m, ChronoUnit.MINUTES)).value(600.0 + 60 * (i % 11))
            .unit(StandardUnit.COUNT).build());
      }
      if (data.size() >= 400) {
        put(aws, "AWS/SageMaker", data);
      }
      // The steady state: what each endpoint's last cycles recorded (the scaler's Embedded
      // Metric Format lines, which the emulator does not ingest): the instances it needed, and
      // its learned cold start, tallied within the hour.
      Instant last = minute.minus(1, ChronoUnit.MINUTES);
      List<Dimension> live = new ArrayList<>(dims);
      live.add(Dimension.builder().name(InferScaleMetrics.MODE)
          .value(InferScaleMetrics.MODE_LIVE).build());
      records.add(datum(DecisionMetrics.NEEDED, dims, last, 3));
      records.add(datum(InferScaleMetrics.LEARNED_COLD_START, live, last, 10));
      records.add(datum(InferScaleMetrics.LEAD_UPDATES, live, last, 4));
      if (records.size() >= 300) {
        put(aws, InferScaleMetrics.NAMESPACE, records);
      }
    }
    put(aws, "AWS/SageMaker", data);
    put(aws, InferScaleMetrics.NAMESPACE, records);
    System.out.printf("set-up: %d endpoints in %.1f s%n", ENDPOINTS,
        (System.nanoTime() - setUp) / 1e9);

    Map<String, String> env = Map.of(DispatcherHandler.SCALER_QUEUE, queue,
        DispatcherHandler.FORECAST_QUEUE, forecasts, "CAPACITY_CHECK", "none", "DRY_RUN", "false",
        DispatcherHandler.REFRESH, "1");
    DispatcherHandler dispatcher = new DispatcherHandler(aws.dispatcherWiring(), env, log::add);
    ScalerHandler scaler = new ScalerHandler(aws.scalerWiring(), env, log::add);

    // The dispatcher's cycle.
    Phase dispatch = Phase.start();
    JsonNode report = invoke(dispatcher, "{\"fanOut\": \"scaler\"}");
    dispatch.end("dispatcher (scaler fan-out)");
    assertEquals(ENDPOINTS, report.path("sent").asInt(), report.toString());
    System.out.printf("  GetMetricData requests: %d with %d queries%n",
        report.get("metricReads").asInt(), report.get("metricQueries").asInt());

    // The scaler on every turn, in Lambda's batches of up to 10.
    List<Message> turns = new ArrayList<>();
    List<Message> got;
    do {
      got = aws.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)).messages();
      turns.addAll(got);
      for (Message m : got) {
        aws.sqs().deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
      }
    } while (!got.isEmpty());
    assertEquals(ENDPOINTS, turns.size());
    int largest = turns.stream().mapToInt(m -> m.body().getBytes(StandardCharsets.UTF_8).length)
        .max().orElse(0);
    double mean = turns.stream().mapToInt(m -> m.body().getBytes(StandardCharsets.UTF_8).length)
        .average().orElse(0);
    System.out.printf("  turns: %d, body %.0f bytes on average, %d at most%n", turns.size(),
        mean, largest);
    int logged = log.size();
    Phase scale = Phase.start();
    long slowestBatch = 0;
    for (int i = 0; i < turns.size(); i += 10) {
      long start = System.nanoTime();
      JsonNode answer = invoke(scaler, sqsEvent(turns.subList(i, Math.min(turns.size(), i + 10))));
      slowestBatch = Math.max(slowestBatch, System.nanoTime() - start);
      assertEquals(0, answer.get("batchItemFailures").size(), answer.toString());
    }
    scale.end("scaler (every turn, batches of 10 in a row)");
    System.out.printf("  slowest batch of 10: %.2f s%n", slowestBatch / 1e9);
    long bytes = log.subList(logged, log.size()).stream()
        .mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length + 1).sum();
    System.out.printf("  log written per cycle: %.0f bytes (the outcome and its EMF lines)%n",
        (double) bytes / ENDPOINTS);
    long scaled = log.stream().filter(l -> l.startsWith("{\"endpointName\"")
        && l.contains("\"applied\":true")).count();
    System.out.printf("  endpoints scaled: %d of %d%n", scaled, ENDPOINTS);

    // The next minute, the directory read again (DirectoryRefreshMinutes=1): only the endpoints
    // the scaler changed are described again; the quotas are kept.
    clock.set(minute.plusSeconds(65));
    Phase next = Phase.start();
    invoke(dispatcher, "{\"fanOut\": \"scaler\"}");
    next.end("dispatcher, next minute (directory re-read, quotas kept)");

    Phase forecast = Phase.start();
    JsonNode fanOut = invoke(dispatcher, "{\"fanOut\": \"forecaster\"}");
    forecast.end("dispatcher (forecaster fan-out)");
    assertEquals(ENDPOINTS, fanOut.get("sent").asInt());
  }

  private static MetricDatum datum(String name, List<Dimension> dims, Instant at, double value) {
    return MetricDatum.builder().metricName(name).dimensions(dims).timestamp(at).value(value)
        .unit(StandardUnit.COUNT).build();
  }

  /** Puts the data and empties the list. */
  private static void put(TestAwsComponent aws, String namespace, List<MetricDatum> data) {
    if (!data.isEmpty()) {
      List<MetricDatum> batch = List.copyOf(data);
      aws.cloudWatch().putMetricData(b -> b.namespace(namespace).metricData(batch));
      data.clear();
    }
  }

  private static JsonNode invoke(Object handler, String input) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayInputStream in = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
    if (handler instanceof DispatcherHandler d) {
      d.handleRequest(in, out, null);
    } else {
      ((ScalerHandler) handler).handleRequest(in, out, null);
    }
    return Json.mapper().readTree(out.toByteArray());
  }

  private static String sqsEvent(List<Message> messages) {
    ObjectNode event = Json.mapper().createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Message m : messages) {
      records.addObject().put("messageId", m.messageId()).put("body", m.body())
          .put("eventSource", "aws:sqs");
    }
    return event.toString();
  }

  /** A phase's wall time, AWS calls and peak heap (every heap pool's peak, summed). */
  private record Phase(long started) {
    static Phase start() {
      System.gc();
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        pool.resetPeakUsage();
      }
      CallCounter.reset();
      return new Phase(System.nanoTime());
    }

    void end(String name) {
      double seconds = (System.nanoTime() - started) / 1e9;
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      Map<String, Long> calls = new LinkedHashMap<>(CallCounter.calls());
      System.out.printf("%s: %.2f s (%.2f s of it in AWS calls), peak heap %.0f MiB,"
          + " calls %s (%d)%n", name, seconds, CallCounter.waitedSeconds(), peak / 1048576.0,
          calls, calls.values().stream().mapToLong(Long::longValue).sum());
    }
  }
}
