package inferscale.aws.invocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.adapters.MetricDimension;
import inferscale.aws.adapters.SignalMetrics;
import inferscale.control.CapacityMode;
import inferscale.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pure parsing: no emulator. */
class ScalerInvocationTest {
  private static JsonNode json(String text) throws Exception {
    return Json.mapper().readTree(text);
  }

  private static InvalidRequestException invalid(String text) throws Exception {
    JsonNode payload = json(text);
    return assertThrows(InvalidRequestException.class,
        () -> ScalerInvocation.parse(payload, Deployment.standard()));
  }

  @Test
  void parsesTheSchedulePayload() throws Exception {
    ScalerInvocation request = ScalerInvocation.parse(json("{\"endpointName\":\"llm-prod\","
        + "\"variantName\":\"AllTraffic\",\"policy\":{\"maxInstances\":16},\"dryRun\":true}"),
        Deployment.standard());
    assertEquals("llm-prod", request.task().endpointName());
    assertEquals(16, request.task().policy().bounds().maxInstances());
    assertTrue(request.task().dryRun());
    assertEquals(CapacityMode.RESERVATIONS, request.task().capacityMode());
    assertEquals("Invocations", request.metrics().invocations().name());
  }

  @Test
  void theDeploymentsDryRunCannotBeOverridden() throws Exception {
    ScalerInvocation request = ScalerInvocation.parse(
        json("{\"endpointName\":\"e\",\"variantName\":\"v\",\"dryRun\":false}"),
        new Deployment(true, CapacityMode.NONE));
    assertTrue(request.task().dryRun());
    assertEquals(CapacityMode.NONE, request.task().capacityMode());
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
    ScalerInvocation ok = ScalerInvocation.parse(
        json("{\"endpointName\":\"a--b-" + "c".repeat(58) + "\",\"variantName\":\"v\"}"),
        Deployment.standard());
    assertEquals(63, ok.task().endpointName().length());
  }

  @Test
  void metricSpecsOverrideFieldByFieldAndNullTurnsASignalOff() throws Exception {
    ScalerInvocation request = ScalerInvocation.parse(json("{\"endpointName\":\"e\",\"variantName\":\"v\","
        + "\"metrics\":{\"kvCache\":{\"name\":\"gpu_cache_usage_perc\"},\"concurrentRequests\":null,"
        + "\"ttftP90Ms\":{\"namespace\":\"vLLM\",\"dimensions\":{\"Model\":\"m\","
        + "\"Endpoint\":\"${endpointName}/${variantName}\"},\"statistic\":\"p90\"}}}"),
        Deployment.standard());
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

  @Test
  void theGroupedPolicyIsTheDocumentedFormAndTheFlatOneIsNamedForAWarning() throws Exception {
    ScalerInvocation grouped = ScalerInvocation.parse(json("{\"endpointName\":\"e\","
        + "\"variantName\":\"v\",\"policy\":{\"bounds\":{\"maxInstances\":16},"
        + "\"scaleIn\":{\"cooldownMinutes\":15}}}"), Deployment.standard());
    assertEquals(16, grouped.task().policy().bounds().maxInstances());
    assertEquals(15, grouped.task().policy().scaleIn().cooldownMinutes());
    assertEquals(java.util.Map.of(), grouped.deprecatedFields());
    ScalerInvocation flat = ScalerInvocation.parse(json("{\"endpointName\":\"e\","
        + "\"variantName\":\"v\",\"policy\":{\"maxInstances\":16,"
        + "\"scaleInCooldownMinutes\":15}}"), Deployment.standard());
    assertEquals(grouped.task().policy(), flat.task().policy());
    assertEquals(java.util.Map.of("maxInstances", "bounds.maxInstances",
        "scaleInCooldownMinutes", "scaleIn.cooldownMinutes"), flat.deprecatedFields());
  }

  @Test
  void aMaximumFarAboveAnyQuotaIsRejectedInEitherForm() throws Exception {
    assertTrue(invalid("{\"endpointName\":\"e\",\"variantName\":\"v\","
        + "\"policy\":{\"bounds\":{\"maxInstances\":1001}}}").problems()
        .contains("policy: bounds.maxInstances must be ≤ 1000, got 1001"));
    assertTrue(invalid("{\"endpointName\":\"e\",\"variantName\":\"v\","
        + "\"policy\":{\"maxInstances\":1001,\"minInstances\":\"2\"}}").problems()
        .contains("policy: maxInstances must be ≤ 1000, got 1001"));
  }

  @Test
  void aMaximumBeyondAnIntIsOneProblem() throws Exception {
    assertEquals(List.of("policy: bounds.maxInstances is too large, got 1.0E10"),
        invalid("{\"endpointName\":\"e\",\"variantName\":\"v\","
            + "\"policy\":{\"bounds\":{\"maxInstances\":1e10}}}").problems());
  }
}
