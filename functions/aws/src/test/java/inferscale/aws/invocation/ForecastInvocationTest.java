package inferscale.aws.invocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.adapters.ForecastChannel;
import inferscale.control.CapacityMode;
import inferscale.decision.Timing;
import inferscale.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pure parsing: no emulator. */
class ForecastInvocationTest {
  private static ForecastInvocation parse(String json, Deployment deployment) throws Exception {
    JsonNode payload = Json.mapper().readTree(json);
    return ForecastInvocation.parse(payload, deployment);
  }

  @Test
  void theTimingComesFromTheScalersPolicy() throws Exception {
    ForecastInvocation invocation = parse("{\"endpointName\":\"e\",\"variantName\":\"v\","
        + "\"policy\":{\"timing\":{\"coldStartMinutes\":12,\"forecastIntervalMinutes\":30},"
        + "\"bounds\":{\"maxInstances\":16}}}", Deployment.standard());
    assertEquals(new Timing(12, 2, 30), invocation.task().timing());
    assertEquals(ForecastChannel.LIVE, invocation.forecastChannel());
    assertEquals(Map.of(), invocation.deprecatedFields());
    assertEquals(Timing.defaults(), parse("{\"endpointName\":\"e\",\"variantName\":\"v\"}",
        Deployment.standard()).task().timing());
  }

  @Test
  void theFirstFormatStillWorksAndIsNamedForAWarning() throws Exception {
    ForecastInvocation invocation = parse("{\"endpointName\":\"e\",\"variantName\":\"v\","
        + "\"policy\":{\"coldStartMinutes\":12},\"refreshMinutes\":30}",
        new Deployment(true, CapacityMode.NONE));
    assertEquals(new Timing(12, 2, 30), invocation.task().timing());
    assertEquals(ForecastChannel.DRY_RUN, invocation.forecastChannel());
    assertEquals(Map.of("coldStartMinutes", "timing.coldStartMinutes",
        "refreshMinutes", "policy.timing.forecastIntervalMinutes"), invocation.deprecatedFields());
  }

  @Test
  void namesEveryBadField() throws Exception {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> parse("{\"endpointName\":\"e\",\"variant\":\"v\",\"refreshMinutes\":0,"
            + "\"policy\":{\"timing\":{\"coldStartMinutes\":-1}}}", Deployment.standard()));
    assertEquals(List.of(
        "unknown field 'variant'; known fields are [endpointName, variantName,"
            + " inferenceComponentName, policy, refreshMinutes]",
        "variantName is required",
        "policy: timing.coldStartMinutes must be between 0 and 120, got -1",
        "refreshMinutes must be a whole number of minutes between 1 and 60, got 0"),
        e.problems());
    assertEquals(List.of("refreshMinutes and policy.timing.forecastIntervalMinutes both set the"
        + " forecast interval; give it once (policy.timing.forecastIntervalMinutes)"),
        assertThrows(InvalidRequestException.class, () -> parse("{\"endpointName\":\"e\","
            + "\"variantName\":\"v\",\"refreshMinutes\":20,"
            + "\"policy\":{\"timing\":{\"forecastIntervalMinutes\":30}}}",
            Deployment.standard())).problems());
  }
}
