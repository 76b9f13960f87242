package inferscale.aws.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DispatchReportTest {
  private static final Instant CYCLE = Instant.parse("2026-11-30T12:00:00Z");

  @Test
  void theFleetsCountsAndEachTypesQuotaAreEmbeddedMetricsOfTheStack() throws Exception {
    DispatchReport.Builder builder = new DispatchReport.Builder(FleetDispatcher.FanOut.SCALER,
        CYCLE, false);
    builder.turn("ep/AllTraffic", 1, null);
    builder.skipped("bad", null, "tag inferscale:policy: …");
    builder.quota("ml.g5.xlarge", 8, 5);
    builder.refused(List.of());
    DispatchReport report = builder.sent(1).build();

    List<String> lines = report.emf("fleet-prod");

    assertEquals(2, lines.size());
    JsonNode fleet = Json.mapper().readTree(lines.get(0));
    assertEquals(CYCLE.toEpochMilli(), fleet.at("/_aws/Timestamp").asLong());
    assertEquals("[[\"FanOut\",\"Stack\"]]",
        fleet.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
    assertEquals("SCALER", fleet.get("FanOut").asText());
    assertEquals("fleet-prod", fleet.get("Stack").asText());
    assertEquals(1, fleet.get(DispatchReport.ENDPOINTS).asInt());
    assertEquals(1, fleet.get(DispatchReport.SKIPPED).asInt());
    assertEquals(1, fleet.get(DispatchReport.SENT).asInt());
    assertEquals(0, fleet.get(DispatchReport.REFUSED).asInt());
    assertEquals(4, fleet.at("/_aws/CloudWatchMetrics/0/Metrics").size());
    JsonNode quota = Json.mapper().readTree(lines.get(1));
    assertEquals("[[\"InstanceType\",\"Stack\"]]",
        quota.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
    assertEquals("ml.g5.xlarge", quota.get("InstanceType").asText());
    assertEquals(8, quota.get(DispatchReport.QUOTA_APPLIED).asInt());
    assertEquals(5, quota.get(DispatchReport.QUOTA_IN_USE).asInt());
    // The log's report counts the turns without listing them.
    assertFalse(Json.mapper().readTree(report.withoutTurns().toJson()).has("turns"));
    assertEquals(1, Json.mapper().readTree(report.withoutTurns().toJson()).get("planned")
        .asInt());
  }
}
