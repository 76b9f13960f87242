package inferscale.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.ArrayList;
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
 * one is added to the template as an output, and read back from the created stack. A {@code
 * AWS::Lambda::Permission} on an alias cannot be created before the alias exists, so it is taken
 * out of the template and added through the Lambda API after the alias, the same way. An
 * EventBridge rule's target {@code Ref} to an alias is written as the ARN that {@code Ref} gives
 * (the function's ARN and the alias name), which moto can resolve; the rules' resolved patterns
 * are read back through outputs too, as the Java SDK this build has offline has no EventBridge
 * client.
 */
final class SamStack {
  private static final Path ROOT = Path.of("..", "..");
  private static final String BUCKET = "inferscale-deployment";
  private static final String RESOLVED = "Resolved";

  /** The functions and the layer `sam build` builds with the Makefile. */
  private static final List<String> BUILT = List.of("ScalerFunction", "ForecastFunction",
      "FleetDispatcherFunction", "Ec2SdkLayer");

  private static Map<String, Path> zipped;

  private final Stack stack;
  private final Map<String, String> physicalIds;
  private final Map<String, String> aliasArns = new HashMap<>();
  private final Map<String, String> scheduleTargets = new HashMap<>();
  /** Event source mapping UUIDs by logical id. */
  private final Map<String, String> mappings = new HashMap<>();
  private final Map<String, String> scheduleNames = new HashMap<>();
  /** Rule → the alias its target invokes (logical IDs). */
  private final Map<String, String> ruleTargets;

  private SamStack(Stack stack, Map<String, String> physicalIds, Map<String, String> ruleTargets) {
    this.stack = stack;
    this.physicalIds = physicalIds;
    this.ruleTargets = ruleTargets;
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
      Map<String, String> ruleTargets = targetAliasesByArn(template);
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
        SamStack deployed = new SamStack(created, ids, ruleTargets);
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

  /** The event source mapping's UUID, or null when a condition left it out. */
  String mapping(String logicalId) {
    return mappings.get(logicalId);
  }

  /** The alias (logical ID) the rule's target invokes. */
  String ruleTarget(String logicalId) {
    return ruleTargets.get(logicalId);
  }

  /** The rule's event pattern as the stack resolved it, or null when a condition left it out. */
  JsonNode rulePattern(String logicalId) throws IOException {
    String pattern = output(logicalId, "/EventPattern");
    return pattern == null ? null : Json.mapper().readTree(pattern);
  }

  /** The rule's state (ENABLED, DISABLED) as the stack resolved it. */
  String ruleState(String logicalId) {
    return output(logicalId, "/State");
  }

  /** The template's own outputs: name → value. */
  Map<String, String> outputs() {
    Map<String, String> outputs = new LinkedHashMap<>();
    stack.outputs().stream().filter(o -> !o.outputKey().startsWith(RESOLVED))
        .forEach(o -> outputs.put(o.outputKey(), o.outputValue()));
    return outputs;
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
   * Writes each EventBridge rule target's {@code Ref} to an alias as the alias's ARN, {@code
   * arn:...:function:NAME:ALIAS}, which is what that {@code Ref} gives; returns rule → alias.
   */
  private static Map<String, String> targetAliasesByArn(ObjectNode template) {
    Map<String, String> targets = new LinkedHashMap<>();
    JsonNode resources = template.get("Resources");
    resources.fields().forEachRemaining(resource -> {
      if (!resource.getValue().get("Type").asText().equals("AWS::Events::Rule")) {
        return;
      }
      for (JsonNode target : resource.getValue().at("/Properties/Targets")) {
        String alias = target.at("/Arn/Ref").asText();
        JsonNode aliasResource = resources.path(alias);
        if (!aliasResource.path("Type").asText().equals("AWS::Lambda::Alias")) {
          continue;
        }
        ArrayNode parts = Json.mapper().createArrayNode();
        parts.addObject().putArray("Fn::GetAtt")
            .add(aliasResource.at("/Properties/FunctionName/Ref").asText()).add("Arn");
        parts.add(aliasResource.at("/Properties/Name").asText());
        ((ObjectNode) target).putObject("Arn").putArray("Fn::Join").add(":").add(parts);
        targets.put(resource.getKey(), alias);
      }
    });
    return targets;
  }

  /**
   * Adds an output per string property of each alias, schedule and permission on an alias (the
   * resources the emulator's CloudFormation skips or cannot create; the permissions are taken
   * out) and of each rule, and returns the skipped resources as transformed. An output carries
   * its resource's condition.
   */
  private static Map<String, JsonNode> resolveSkippedThroughOutputs(ObjectNode template) {
    Map<String, JsonNode> skipped = new LinkedHashMap<>();
    ObjectNode outputs = template.with("Outputs");
    ObjectNode resources = (ObjectNode) template.get("Resources");
    resources.fields().forEachRemaining(resource -> {
      String type = resource.getValue().get("Type").asText();
      JsonNode properties = resource.getValue().get("Properties");
      List<String> resolved = switch (type) {
        case "AWS::Lambda::Alias" -> List.of("/FunctionName");
        case "AWS::Scheduler::Schedule" -> List.of("/Name", "/ScheduleExpression", "/State",
            "/Description", "/Target/Input", "/Target/RoleArn");
        case "AWS::Lambda::Permission" -> invokesAlias(properties, resources)
            ? List.of("/Action", "/Principal", "/SourceArn") : List.of();
        case "AWS::Events::Rule" -> List.of("/EventPattern", "/State");
        case "AWS::Lambda::EventSourceMapping" -> invokesAlias(properties, resources)
            ? List.of("/EventSourceArn", "/Enabled") : List.of();
        default -> List.of();
      };
      if (resolved.isEmpty()) {
        return;
      }
      if (!type.equals("AWS::Events::Rule")) {
        skipped.put(resource.getKey(), resource.getValue());
      }
      for (String pointer : resolved) {
        JsonNode value = properties.at(pointer);
        if (!value.isMissingNode()) {
          ObjectNode output = outputs.putObject(outputName(resource.getKey(), pointer));
          // an output is a string: the pattern, an object, as its JSON text
          output.set("Value", pointer.equals("/EventPattern")
              ? Json.mapper().createObjectNode().set("Fn::ToJsonString", value) : value);
          if (resource.getValue().has("Condition")) {
            output.set("Condition", resource.getValue().get("Condition"));
          }
        }
      }
    });
    skipped.forEach((logicalId, resource) -> {
      String type = resource.get("Type").asText();
      if (type.equals("AWS::Lambda::Permission")
          || type.equals("AWS::Lambda::EventSourceMapping")) {
        resources.remove(logicalId);
      }
    });
    return skipped;
  }

  private static boolean invokesAlias(JsonNode properties, JsonNode resources) {
    return resources.path(properties.at("/FunctionName/Ref").asText()).path("Type").asText()
        .equals("AWS::Lambda::Alias");
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

  /** The alias on the version the stack published, then the schedules and permissions on it. */
  private void createSkipped(Map<String, JsonNode> skipped) {
    try (LambdaClient lambda = LambdaClient.create();
        SchedulerClient scheduler = SchedulerClient.create()) {
      skipped.forEach((logicalId, resource) -> {
        if (!resource.get("Type").asText().equals("AWS::Lambda::Alias")) {
          return;
        }
        String function = output(logicalId, "/FunctionName");
        if (function == null) {
          return; // a condition left its function out
        }
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
        String name = output(logicalId, "/Name");
        if (name == null) {
          return; // a condition left it out
        }
        if (!aliasArns.containsKey(alias)) {
          throw new AssertionError(logicalId + " invokes " + properties.at("/Target/Arn")
              + ", not a published alias");
        }
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
      skipped.forEach((logicalId, resource) -> {
        String action = output(logicalId, "/Action");
        if (!resource.get("Type").asText().equals("AWS::Lambda::Permission") || action == null) {
          return; // not a permission, or one a condition left out
        }
        String alias = resource.at("/Properties/FunctionName/Ref").asText();
        lambda.addPermission(b -> b.functionName(output(alias, "/FunctionName"))
            .qualifier(skipped.get(alias).at("/Properties/Name").asText())
            .statementId(logicalId)
            .action(action)
            .principal(output(logicalId, "/Principal"))
            .sourceArn(output(logicalId, "/SourceArn")));
      });
      skipped.forEach((logicalId, resource) -> {
        String source = output(logicalId, "/EventSourceArn");
        if (!resource.get("Type").asText().equals("AWS::Lambda::EventSourceMapping")
            || source == null) {
          return; // not a mapping, or one a condition left out
        }
        JsonNode properties = resource.get("Properties");
        String alias = properties.at("/FunctionName/Ref").asText();
        List<String> responseTypes = new ArrayList<>();
        properties.path("FunctionResponseTypes").forEach(t -> responseTypes.add(t.asText()));
        mappings.put(logicalId, lambda.createEventSourceMapping(b -> b
            .functionName(aliasArns.get(alias)).eventSourceArn(source)
            .batchSize(properties.get("BatchSize").asInt())
            .scalingConfig(c -> c.maximumConcurrency(
                properties.at("/ScalingConfig/MaximumConcurrency").asInt()))
            .functionResponseTypesWithStrings(responseTypes)
            .enabled(Boolean.parseBoolean(output(logicalId, "/Enabled")))).uuid());
      });
    }
  }
}
