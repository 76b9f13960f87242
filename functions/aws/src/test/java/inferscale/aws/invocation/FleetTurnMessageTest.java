package inferscale.aws.invocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.control.Readings;
import inferscale.control.ScalerStep;
import inferscale.control.Series;
import inferscale.decision.PolicyConfig;
import inferscale.decision.SignalPoint;
import inferscale.fleet.FleetTurn;
import inferscale.fleet.QuotaShare;
import inferscale.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetTurnMessageTest {
  private static final Instant MINUTE = Instant.parse("2026-11-30T12:00:00Z");

  private static ObjectNode request(ObjectNode fleet) {
    ObjectNode request = Json.mapper().createObjectNode();
    request.put("endpointName", "llm").put("variantName", "AllTraffic");
    request.set(FleetTurnMessage.FIELD, fleet);
    return request;
  }

  @Test
  void aTurnTravelsWithItsQuotaShareAndItsReadAhead() {
    ScalerStep.ReadPlan plan = ScalerStep.mainRead(PolicyConfig.defaults(), MINUTE);
    Map<Series, List<SignalPoint>> points = new EnumMap<>(Series.class);
    plan.series().forEach(s -> points.put(s, List.of()));
    points.put(Series.REQUESTS, List.of(new SignalPoint(MINUTE.minusSeconds(120), 600),
        new SignalPoint(MINUTE.minusSeconds(60), 660.5)));
    QuotaShare.Allowance share = new QuotaShare.Allowance("ml.g5.xlarge", 3, "a share");
    FleetTurnMessage sent = new FleetTurnMessage(new FleetTurn(MINUTE.plusSeconds(9), share),
        plan, new Readings(points));

    ScalerInvocation received = ScalerInvocation.parse(request(sent.toJson()),
        Deployment.standard());

    FleetTurnMessage turn = received.fleet();
    assertEquals(MINUTE, turn.turn().cycle());
    assertEquals(share, turn.turn().quota());
    assertEquals(turn.turn(), received.task().fleet());
    assertEquals(plan, turn.plan());
    assertEquals(points.get(Series.REQUESTS), turn.readings().series().get(Series.REQUESTS));
  }

  @Test
  void eachBadPartIsNamed() {
    ObjectNode fleet = Json.mapper().createObjectNode();
    fleet.put("cycle", "yesterday");
    fleet.putObject("quota").put("instanceType", "ml.g5.xlarge").put("maxInstances", -1);
    ObjectNode read = fleet.putObject("read");
    read.put("from", MINUTE.toString()).put("to", MINUTE.toString());
    read.putObject("series").putArray("NOT_A_SERIES");

    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> ScalerInvocation.parse(request(fleet), Deployment.standard()));

    String problems = String.join("\n", e.problems());
    assertTrue(problems.contains("fleet.cycle must be an ISO-8601 instant, got \"yesterday\""),
        problems);
    assertTrue(problems.contains("fleet.quota must be {instanceType, maxInstances ≥ 0,"
        + " limitedBy}"), problems);
    assertTrue(problems.contains("fleet.read.series: unknown series NOT_A_SERIES"), problems);
  }

  @Test
  void aRequestWithoutTheFieldIsNoFleetTurn() {
    assertNull(ScalerInvocation.parse(request(null).without(FleetTurnMessage.FIELD),
        Deployment.standard()).task().fleet());
  }

  @Test
  void anInvalidMessageAndEveryOneAfterItAreRetriedAsAFifoQueueAsks() {
    List<SqsBatch.Message> batch = List.of(message("1", "ok"), message("2", "bad"),
        message("3", "ok"));
    List<String> ran = new ArrayList<>();

    String answer = SqsBatch.run(batch, body -> {
      String text = new String(body, StandardCharsets.UTF_8);
      if (text.equals("bad")) {
        throw new InvalidRequestException(List.of("bad"));
      }
      ran.add(text);
    });

    assertEquals(List.of("ok"), ran);
    assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"2\"},"
        + "{\"itemIdentifier\":\"3\"}]}", answer);
  }

  @Test
  void onlyAnSqsEventIsABatch() {
    assertNull(SqsBatch.messages("{\"endpointName\": \"llm\"}".getBytes(StandardCharsets.UTF_8)));
    List<SqsBatch.Message> messages = SqsBatch.messages(("{\"Records\": [{\"messageId\": \"m1\","
        + " \"eventSource\": \"aws:sqs\", \"body\": \"{}\"}]}").getBytes(StandardCharsets.UTF_8));
    assertEquals("m1", messages.get(0).messageId());
  }

  private static SqsBatch.Message message(String id, String body) {
    return new SqsBatch.Message(id, body.getBytes(StandardCharsets.UTF_8));
  }
}
