package inferscale.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.aws.testing.AwsEmulator;
import inferscale.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/**
 * One stack of template.yaml in the emulator, deployed the way `sam deploy` deploys: each
 * function's and the layer's package laid out by the Makefile's target as `sam build` runs it,
 * zipped and uploaded to S3, the template transformed by the SAM translator with the packages'
 * S3 locations and uploaded, the stack created from that URL.
 *
 * <p>The emulator's CloudFormation (moto) skips {@code AWS::Lambda::Alias} and {@code
 * AWS::Scheduler::Schedule}: those are created here through the Lambda and Scheduler APIs from
 * their transformed properties. Their intrinsic functions are resolved by the emulator itself: each
 * one is added to the template as an output, and read back from the created stack.
 */
final class SamStack {
  private static final Path ROOT = Path.of("..", "..");
  private static final String BUCKET = "inferscale-deployment";
  private static final String RESOLVED = "Resolved";

  /** The functions and the layer `sam build` builds with the Makefile. */
  private static final List<String> BUILT = List.of("ScalerFunction", "ForecastFunction",
      "Ec2SdkLayer");

  private static Map<String, Path> zipped;

  private final Stack stack;
  private final Map<String, String> physicalIds;
  private final Map<String, String> aliasArns = new HashMap<>();
  private final Map<String, String> scheduleTargets = new HashMap<>();
  private final Map<String, String> scheduleNames = new HashMap<>();

  private SamStack(Stack stack, Map<String, String> physicalIds) {
    this.stack = stack;
    this.physicalIds = physicalIds;
  }

  static SamStack deploy(AwsEmulator.Running emulator, String stackName,
      Map<String, String> parameters) throws Exception {
    // moto's CloudFormation fetches a template URL only from a host it calls localhost
    URI s3Endpoint = URI.create("http://localhost:" + emulator.endpoint().getPort());
    Map<String, String> locations = new LinkedHashMap<>();
    try (S3Client s3 = S3Client.builder().endpointOverride(s3Endpoint).forcePathStyle(true)
        .build()) {
      if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(BUCKET))) {
        s3.createBucket(b -> b.bucket(BUCKET));
      }
      for (Map.Entry<String, Path> pkg : packages().entrySet()) {
        String key = pkg.getKey() + ".zip";
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(pkg.getValue()));
        locations.put(pkg.getKey(), "s3://" + BUCKET + "/" + key);
      }
      ObjectNode template = transform(locations);
      Map<String, JsonNode> skipped = resolveSkippedThroughOutputs(template);
      String key = stackName + "-template.json";
      s3.putObject(b -> b.bucket(BUCKET).key(key),
          RequestBody.fromString(Json.mapper().writeValueAsString(template)));

      try (CloudFormationClient cloudFormation = CloudFormationClient.create()) {
        cloudFormation.createStack(b -> b.stackName(stackName)
            .templateURL(s3Endpoint + "/" + BUCKET + "/" + key)
            .capabilities(Capability.CAPABILITY_IAM)
            .parameters(parameters.entrySet().stream().map(e -> Parameter.builder()
                .parameterKey(e.getKey()).parameterValue(e.getValue()).build()).toList()));
        Stack created = cloudFormation.describeStacks(b -> b.stackName(stackName)).stacks().get(0);
        Map<String, String> ids = new LinkedHashMap<>();
        for (StackResourceSummary resource : cloudFormation.listStackResources(
            b -> b.stackName(stackName)).stackResourceSummaries()) {
          ids.put(resource.logicalResourceId(), resource.physicalResourceId());
        }
        SamStack deployed = new SamStack(created, ids);
        deployed.createSkipped(skipped);
        return deployed;
      }
    }
  }

  String status() {
    return stack.stackStatusAsString();
  }

  Map<String, String> physicalIds() {
    return physicalIds;
  }

  long packageSize(String logicalId) throws Exception {
    return Files.size(packages().get(logicalId));
  }

  String scheduleName(String logicalId) {
    return scheduleNames.get(logicalId);
  }

  /** The alias (logical ID) the transformed schedule invokes. */
  String scheduleTarget(String logicalId) {
    return scheduleTargets.get(logicalId);
  }

  /**
   * Each package as `sam build` lays it out: the Makefile's own build-LogicalId target with
   * ARTIFACTS_DIR set, its Maven step skipped (MVN=:) because the reactor has just built the
   * jars; then zipped as `sam package` zips it.
   */
  private static synchronized Map<String, Path> packages() throws Exception {
    if (zipped == null) {
      Map<String, Path> zips = new LinkedHashMap<>();
      Path folder = Files.createTempDirectory("sam-packages-");
      for (String logicalId : BUILT) {
        Path artifacts = folder.resolve(logicalId);
        Process make = new ProcessBuilder("make", "-s", "-C", ROOT.toString(), "build-" + logicalId,
            "MVN=:", "ARTIFACTS_DIR=" + artifacts.toAbsolutePath()).redirectErrorStream(true)
            .start();
        String output = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!make.waitFor(2, TimeUnit.MINUTES) || make.exitValue() != 0) {
          throw new AssertionError("make build-" + logicalId + " failed (build the jars first:"
              + " mvn package):\n" + output);
        }
        Path zip = folder.resolve(logicalId + ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
            var files = Files.walk(artifacts)) {
          for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
            out.putNextEntry(new ZipEntry(artifacts.relativize(file).toString()));
            Files.copy(file, out);
            out.closeEntry();
          }
        }
        zips.put(logicalId, zip);
      }
      zipped = zips;
    }
    return zipped;
  }

  /** template.yaml with the packages' S3 locations, through the SAM translator. */
  private static ObjectNode transform(Map<String, String> locations) throws Exception {
    Path script = Files.createTempFile("sam_transform", ".py");
    try (InputStream in = SamStack.class.getResourceAsStream("/sam_transform.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    ProcessBuilder builder = new ProcessBuilder("python3", script.toString(),
        ROOT.resolve("template.yaml").toString(), Json.mapper().writeValueAsString(locations));
    builder.environment().put("AWS_DEFAULT_REGION", AwsEmulator.REGION);
    Process process = builder.start();
    byte[] out;
    String err;
    try (InputStream stdout = process.getInputStream(); InputStream stderr = process.getErrorStream()) {
      out = stdout.readAllBytes();
      err = new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new AssertionError("the SAM transform failed (python3 with cfn-lint 1.51 needed):\n"
          + err);
    }
    return (ObjectNode) Json.mapper().readTree(out);
  }

  /**
   * Adds an output per string property of each alias and schedule (the resources the emulator's
   * CloudFormation skips) and returns those resources as transformed.
   */
  private static Map<String, JsonNode> resolveSkippedThroughOutputs(ObjectNode template) {
    Map<String, JsonNode> skipped = new LinkedHashMap<>();
    ObjectNode outputs = template.with("Outputs");
    template.get("Resources").fields().forEachRemaining(resource -> {
      String type = resource.getValue().get("Type").asText();
      JsonNode properties = resource.getValue().get("Properties");
      List<String> resolved = switch (type) {
        case "AWS::Lambda::Alias" -> List.of("/FunctionName");
        case "AWS::Scheduler::Schedule" -> List.of("/Name", "/ScheduleExpression", "/State",
            "/Description", "/Target/Input", "/Target/RoleArn");
        default -> List.of();
      };
      if (resolved.isEmpty()) {
        return;
      }
      skipped.put(resource.getKey(), resource.getValue());
      for (String pointer : resolved) {
        if (!properties.at(pointer).isMissingNode()) {
          outputs.putObject(outputName(resource.getKey(), pointer))
              .set("Value", properties.at(pointer));
        }
      }
    });
    return skipped;
  }

  private static String outputName(String logicalId, String pointer) {
    return RESOLVED + logicalId + pointer.replace("/", "");
  }

  /** The property's value as CloudFormation resolved it, or null when the template leaves it out. */
  private String output(String logicalId, String pointer) {
    String name = outputName(logicalId, pointer);
    return stack.outputs().stream().filter(o -> o.outputKey().equals(name)).map(Output::outputValue)
        .findFirst().orElse(null);
  }

  /** The alias on the version the stack published, then the schedules that invoke it. */
  private void createSkipped(Map<String, JsonNode> skipped) {
    try (LambdaClient lambda = LambdaClient.create();
        SchedulerClient scheduler = SchedulerClient.create()) {
      skipped.forEach((logicalId, resource) -> {
        if (!resource.get("Type").asText().equals("AWS::Lambda::Alias")) {
          return;
        }
        String function = output(logicalId, "/FunctionName");
        String version = lambda.listVersionsByFunction(b -> b.functionName(function)).versions()
            .stream().map(FunctionConfiguration::version).filter(v -> !v.equals("$LATEST"))
            .reduce((first, last) -> last)
            .orElseThrow(() -> new AssertionError("the stack published no version of " + function));
        aliasArns.put(logicalId, lambda.createAlias(b -> b.functionName(function)
            .name(resource.at("/Properties/Name").asText()).functionVersion(version)).aliasArn());
      });
      skipped.forEach((logicalId, resource) -> {
        if (!resource.get("Type").asText().equals("AWS::Scheduler::Schedule")) {
          return;
        }
        JsonNode properties = resource.get("Properties");
        String alias = properties.at("/Target/Arn/Ref").asText();
        if (!aliasArns.containsKey(alias)) {
          throw new AssertionError(logicalId + " invokes " + properties.at("/Target/Arn")
              + ", not a published alias");
        }
        String name = output(logicalId, "/Name");
        scheduler.createSchedule(b -> b.name(name)
            .scheduleExpression(output(logicalId, "/ScheduleExpression"))
            .state(output(logicalId, "/State"))
            .description(output(logicalId, "/Description"))
            .flexibleTimeWindow(w -> w.mode(properties.at("/FlexibleTimeWindow/Mode").asText()))
            .target(t -> t.arn(aliasArns.get(alias))
                .roleArn(output(logicalId, "/Target/RoleArn"))
                .input(output(logicalId, "/Target/Input"))
                .retryPolicy(r -> r
                    .maximumRetryAttempts(properties.at("/Target/RetryPolicy/MaximumRetryAttempts")
                        .asInt())
                    .maximumEventAgeInSeconds(properties.at(
                        "/Target/RetryPolicy/MaximumEventAgeInSeconds").asInt()))));
        scheduleNames.put(logicalId, name);
        scheduleTargets.put(logicalId, alias);
      });
    }
  }
}
