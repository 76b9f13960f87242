package inferscale.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.json.Json;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The deployable artifacts: target/inferscale-scaler.jar, alone or with the EC2 SDK layer
 * (target/ec2-sdk-layer) as the stack attaches it, in a fresh JVM whose only configuration is the
 * environment Lambda would give it, with AWS_ENDPOINT_URL pointing at the emulator.
 */
@ExtendWith(AwsEmulator.class)
class ShadedJarIT {
  private static final Path JAR = Path.of("target", "inferscale-scaler.jar");
  private static final Path LAYER_JARS = Path.of("target", "ec2-sdk-layer", "java", "lib");

  private final AwsEmulator.Running emulator;
  private final TestAwsComponent aws;
  private final String endpoint = Fixtures.uniqueName("llm");

  ShadedJarIT(AwsEmulator.Running emulator) {
    this.emulator = emulator;
    this.aws = TestAwsComponent.create();
  }

  @BeforeEach
  void endpointAtFortyRequestsPerSecond() {
    assertTrue(Files.isRegularFile(JAR), "build the jar first: " + JAR.toAbsolutePath());
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, Fixtures.GPU_INSTANCE_TYPE, 2, Map.of());
    Fixtures.createReservation(aws.ec2(), "g5.xlarge", 3);
    double[] sums = new double[12];
    Arrays.fill(sums, 40.0 * 60); // 40 rps at 4 per instance → 10, room for 3 more → 5
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT),
        Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(12, ChronoUnit.MINUTES), sums);
  }

  @Test
  void withTheEc2LayerTheScaleOutIsClampedToTheReservedHeadroom() throws Exception {
    String output = run(true, "reservations");

    JsonNode result = result(output);
    assertTrue(result.get("applied").asBoolean(), result.toString());
    assertEquals(3, result.at("/capacity/headroom").asInt());
    assertTrue(result.at("/decision/reasons").toString().contains("\"CAPACITY_LIMITED\""),
        result.toString());
    assertEquals(5, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
    // the EMF line went to stdout, where Lambda's log pipeline picks it up
    assertTrue(output.contains("\"_aws\""), output);
  }

  @Test
  void withoutTheLayerTheDefaultDeploymentScalesAndNeverLoadsEc2() throws Exception {
    String output = run(false, "none");

    JsonNode result = result(output);
    assertTrue(result.get("applied").asBoolean(), result.toString());
    assertEquals(10, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
    assertFalse(output.contains("SLF4J"), "the SDK's logging must stay silent: " + output);
  }

  @Test
  void aCapacityCheckWithoutTheLayerIsUncheckedAndSaysWhatToDeploy() throws Exception {
    JsonNode result = result(run(false, "reservations"));

    assertTrue(result.at("/decision/reasons").toString().contains("\"CAPACITY_UNKNOWN\""),
        result.toString());
    assertTrue(result.get("notes").toString().contains("CapacityCheck=reservations"),
        result.toString());
    assertEquals(10, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
  }

  /** The scheduled event through the handler in a fresh JVM; what it printed. */
  private String run(boolean withLayer, String capacityCheck) throws Exception {
    Path event = Files.createTempFile("scaler-event-", ".json");
    Files.writeString(event, Files.readString(Path.of("..", "..", "events",
        "scaler-eventbridge-envelope.json")).replace("llm-prod", endpoint));
    List<String> classPath = new ArrayList<>(List.of(JAR.toString(),
        Path.of("target", "test-classes").toString()));
    if (withLayer) {
      classPath.addAll(layerJars());
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp",
        String.join(File.pathSeparator, classPath), ShadedJarMain.class.getName(),
        event.toString()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("AWS_ENDPOINT_URL", emulator.endpoint().toString());
    env.put("AWS_REGION", AwsEmulator.REGION);
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("AWS_MAX_ATTEMPTS", "1");
    env.put("AWS_DISABLE_REQUEST_COMPRESSION", "true");
    env.put("DRY_RUN", "false");
    env.put("CAPACITY_CHECK", capacityCheck);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), output);
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  private static List<String> layerJars() throws IOException {
    try (var jars = Files.list(LAYER_JARS)) {
      List<String> list = jars.map(Path::toString).filter(p -> p.endsWith(".jar")).toList();
      assertFalse(list.isEmpty(), "no jar in " + LAYER_JARS.toAbsolutePath());
      return list;
    }
  }

  private static JsonNode result(String output) throws IOException {
    String resultLine = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
        .orElseThrow(() -> new AssertionError("no result in:\n" + output));
    return Json.mapper().readTree(resultLine.substring("RESULT ".length()));
  }
}
