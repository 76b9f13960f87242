package inferscale.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.json.Json;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The deployable artifact: target/inferscale-scaler.jar in a fresh JVM whose only configuration is
 * the environment Lambda would give it, with AWS_ENDPOINT_URL pointing at the emulator.
 */
@ExtendWith(AwsEmulator.class)
class ShadedJarIT {
  @Test
  void theShadedJarScalesAnEndpointConfiguredOnlyByTheEnvironment(AwsEmulator.Running emulator)
      throws Exception {
    Path jar = Path.of("target", "inferscale-scaler.jar");
    assertTrue(Files.isRegularFile(jar), "build the jar first: " + jar.toAbsolutePath());
    TestAwsComponent aws = TestAwsComponent.create();
    String endpoint = Fixtures.uniqueName("llm");
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, Fixtures.GPU_INSTANCE_TYPE, 2, Map.of());
    Fixtures.createReservation(aws.ec2(), "g5.xlarge", 3);
    double[] sums = new double[12];
    Arrays.fill(sums, 40.0 * 60); // 40 rps at 4 per instance → 10, room for 3 more → 5
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT),
        Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(12, ChronoUnit.MINUTES), sums);
    Path event = Files.createTempFile("scaler-event-", ".json");
    Files.writeString(event, Files.readString(Path.of("..", "..", "events",
        "scaler-eventbridge-envelope.json")).replace("llm-prod", endpoint));

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp",
        jar + File.pathSeparator + Path.of("target", "test-classes"),
        ShadedJarMain.class.getName(), event.toString()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("AWS_ENDPOINT_URL", emulator.endpoint().toString());
    env.put("AWS_REGION", AwsEmulator.REGION);
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("AWS_MAX_ATTEMPTS", "1");
    env.put("AWS_DISABLE_REQUEST_COMPRESSION", "true");
    env.put("DRY_RUN", "false");
    env.put("CAPACITY_CHECK", "reservations");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), output);
    assertEquals(0, process.exitValue(), output);

    String resultLine = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
        .orElseThrow(() -> new AssertionError("no result in:\n" + output));
    JsonNode result = Json.mapper().readTree(resultLine.substring("RESULT ".length()));
    assertTrue(result.get("applied").asBoolean(), result.toString());
    assertEquals(3, result.at("/capacity/headroom").asInt());
    assertTrue(result.at("/decision/reasons").toString().contains("\"CAPACITY_LIMITED\""),
        result.toString());
    assertEquals(5, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
    // the EMF line went to stdout, where Lambda's log pipeline picks it up
    assertTrue(output.contains("\"_aws\""), output);
  }
}
