package inferscale.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pure parsing: no emulator. */
class ScalerRequestTest {
  private static JsonNode json(String text) throws Exception {
    return Json.mapper().readTree(text);
  }

  private static InvalidRequestException invalid(String text) throws Exception {
    JsonNode payload = json(text);
    return assertThrows(InvalidRequestException.class,
        () -> ScalerRequest.parse(payload, ScalerDefaults.standard()));
  }

  @Test
  void parsesTheSchedulePayload() throws Exception {
    ScalerRequest request = ScalerRequest.parse(json("{\"endpointName\":\"llm-prod\","
        + "\"variantName\":\"AllTraffic\",\"policy\":{\"maxInstances\":16},\"dryRun\":true}"),
        ScalerDefaults.standard());
    assertEquals("llm-prod", request.endpointName());
    assertEquals(16, request.policy().bounds().maxInstances());
    assertTrue(request.dryRun());
    assertEquals(CapacityMode.RESERVATIONS, request.capacityMode());
    assertEquals("Invocations", request.metrics().invocations().name());
  }

  @Test
  void theDeploymentsDryRunCannotBeOverridden() throws Exception {
    ScalerRequest request = ScalerRequest.parse(
        json("{\"endpointName\":\"e\",\"variantName\":\"v\",\"dryRun\":false}"),
        new ScalerDefaults(true, CapacityMode.NONE));
    assertTrue(request.dryRun());
    assertEquals(CapacityMode.NONE, request.capacityMode());
  }

  @Test
  void namesEveryBadField() throws Exception {
    InvalidRequestException e = invalid("{\"endpointName\":\"-bad\",\"variantName\":\"\","
        + "\"dryRun\":\"yes\",\"capacityCheck\":\"maybe\",\"policy\":{\"maxInstances\":0},"
        + "\"extra\":1}");
    String message = e.getMessage();
    assertTrue(message.contains("endpointName must match"), message);
    assertTrue(message.contains("variantName must match"), message);
    assertTrue(message.contains("dryRun must be true or false"), message);
    assertTrue(message.contains("capacityCheck must be 'reservations' or 'none'"), message);
    assertTrue(message.contains("policy: maxInstances"), message);
    assertTrue(message.contains("unknown field 'extra'"), message);
  }

  @Test
  void requiresBothNames() throws Exception {
    InvalidRequestException e = invalid("{}");
    assertEquals(List.of("endpointName is required", "variantName is required"), e.problems());
  }

  @Test
  void enforcesSageMakersNameRule() throws Exception {
    String longName = "a".repeat(64);
    assertTrue(invalid("{\"endpointName\":\"" + longName + "\",\"variantName\":\"v\"}")
        .getMessage().contains("endpointName"));
    assertTrue(invalid("{\"endpointName\":\"a_b\",\"variantName\":\"v\"}")
        .getMessage().contains("endpointName"));
    ScalerRequest ok = ScalerRequest.parse(
        json("{\"endpointName\":\"a--b-" + "c".repeat(58) + "\",\"variantName\":\"v\"}"),
        ScalerDefaults.standard());
    assertEquals(63, ok.endpointName().length());
  }

  @Test
  void metricSpecsOverrideFieldByFieldAndNullTurnsASignalOff() throws Exception {
    ScalerRequest request = ScalerRequest.parse(json("{\"endpointName\":\"e\",\"variantName\":\"v\","
        + "\"metrics\":{\"kvCache\":{\"name\":\"gpu_cache_usage_perc\"},\"concurrentRequests\":null,"
        + "\"ttftP90Ms\":{\"namespace\":\"vLLM\",\"dimensions\":{\"Model\":\"m\","
        + "\"Endpoint\":\"${endpointName}/${variantName}\"},\"statistic\":\"p90\"}}}"),
        ScalerDefaults.standard());
    assertEquals("gpu_cache_usage_perc", request.metrics().kvCache().name());
    assertEquals(SignalMetrics.DEFAULT_LLM_NAMESPACE, request.metrics().kvCache().namespace());
    assertNull(request.metrics().concurrentRequests());
    assertEquals(List.of(new MetricDimension("Model", "m"), new MetricDimension("Endpoint", "e/v")),
        request.metrics().ttftP90Ms().dimensions());
  }

  @Test
  void namesBadMetricSpecFields() throws Exception {
    String message = invalid("{\"endpointName\":\"e\",\"variantName\":\"v\","
        + "\"metrics\":{\"gpu\":{},\"kvCache\":{\"name\":3,\"unit\":\"x\"}}}").getMessage();
    assertTrue(message.contains("metrics.gpu is not a configurable signal"), message);
    assertTrue(message.contains("metrics.kvCache.name must be a non-empty string"), message);
    assertTrue(message.contains("metrics.kvCache.unit is unknown"), message);
    assertFalse(message.contains("endpointName"), message);
  }
}
