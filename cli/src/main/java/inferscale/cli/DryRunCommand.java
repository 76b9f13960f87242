package inferscale.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.aws.invocation.Deployment;
import inferscale.aws.invocation.InvalidRequestException;
import inferscale.aws.invocation.ScalerInvocation;
import inferscale.control.FailureReason;
import inferscale.control.PortFailure;
import inferscale.control.ScalerOutcome;
import inferscale.json.Json;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dry-run}: the scaler's own step against a live endpoint, with nothing applied. */
@Command(
    name = "dry-run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Run the scaler's cycle once against a SageMaker endpoint, exactly as the scheduled Lambda"
          + " would, and explain the decision without changing anything. Uses your AWS"
          + " credentials and region (AWS_PROFILE, AWS_REGION, ...) and honours AWS_ENDPOINT_URL,"
          + " so it can also point at an emulator.",
      ""
    })
final class DryRunCommand implements Callable<Integer> {
  /** Built only when the command runs, so --help needs no AWS configuration. */
  private CliAwsComponent aws;

  @Spec CommandSpec spec;

  @Mixin EndpointVariantOptions variant;

  @Option(names = "--policy", paramLabel = "JSON",
      description = "Policy overrides, as in the schedule payload, e.g."
          + " '{\"targets\": {\"rpsPerInstance\": 4}, \"bounds\": {\"maxInstances\": 16}}'"
          + " (default: the policy of the InferScale stack deployed for the variant, else the"
          + " built-in defaults; stderr says which).")
  String policy;

  @Option(names = "--capacity-check", paramLabel = "MODE", defaultValue = "none",
      description = "reservations (clamp scale-out to matching EC2 capacity reservations) or none"
          + " (default: ${DEFAULT-VALUE}).")
  String capacityCheck;

  @Option(names = "--dry-run-deployment",
      description = "The endpoint's InferScale stack is deployed with DryRun=true: read the"
          + " forecast its forecaster publishes for dry runs (dimension Mode = DryRun) instead of"
          + " a live deployment's.")
  boolean dryRunDeployment;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "text (the decision's sentence and numbers) or json (the whole result)"
          + " (default: ${DEFAULT-VALUE}).")
  Format format;

  private CliAwsComponent aws() {
    if (aws == null) {
      aws = DaggerCliAwsComponent.create();
    }
    return aws;
  }

  @Override
  public Integer call() throws JsonProcessingException {
    ScalerInvocation invocation = invocation(InferScaleCli.policyJson(spec, policy));
    PrintWriter out = spec.commandLine().getOut();
    AwsSetup setup;
    try {
      setup = AwsSetup.resolve();
    } catch (AwsSetup.Problem e) {
      return InferScaleCli.failed(spec, e.getMessage());
    }
    // Which policy it decided with, said once it has decided: a failure is all a failed run says.
    List<String> source = new ArrayList<>();
    ScalerOutcome result;
    try {
      if (policy == null) {
        EndpointRecords.DeployedPolicy deployed = deployedPolicy(source);
        if (deployed != null) {
          invocation = deployedInvocation(deployed);
        }
      }
      // A dry run from here is no deployed scaler's cycle: it leaves no record.
      result = aws().wiring().step(invocation, record -> { })
          .run(invocation.task(), ChronoUnit.FOREVER::getDuration);
    } catch (PortFailure e) {
      return InferScaleCli.failed(spec, setup.explain(e));
    } catch (InvalidDeployedPolicy e) {
      return InferScaleCli.failed(spec, e.getMessage());
    }
    source.forEach(spec.commandLine().getErr()::println);
    InferScaleCli.deprecationNotes(invocation.deprecatedFields(), policy != null)
        .forEach(spec.commandLine().getErr()::println);
    invocation.unusedBudgetBounds()
        .forEach(unused -> spec.commandLine().getErr().println("note: " + unused));
    result.notes().forEach(note -> spec.commandLine().getErr().println("note: " + note));
    if (format == Format.json) {
      out.println(result.toJson());
    } else {
      var decision = result.decision();
      out.println(decision.explanation());
      out.printf("action %s, %d -> %d instances; binding constraint %s; reasons %s%n",
          decision.action(), decision.from(), decision.to(), decision.bindingConstraint(),
          decision.reasons());
      if (result.budget() != null) {
        out.println("unserved budget: " + result.budget().sentence());
      }
      out.println("dry run: nothing was changed");
    }
    out.flush();
    return 0;
  }

  /**
   * Without --policy, the scheduled Lambda's: the stack's schedule with its policy, or null for
   * the built-in defaults (no stack for the variant, no policy in it, or the schedules not
   * readable with these credentials), each said in {@code source}. Any other failure (AWS
   * unreachable, throttling) is the run's.
   *
   * @throws PortFailure when the schedules cannot be read for another reason than a refusal
   */
  private EndpointRecords.DeployedPolicy deployedPolicy(List<String> source) {
    String variantName = variant.endpointName + "/" + variant.variantName;
    EndpointRecords.DeployedPolicy deployed;
    try {
      deployed = aws().endpointRecords().deployedPolicy(variant.endpointName,
          variant.variantName);
    } catch (PortFailure e) {
      if (e.reason() != FailureReason.AWS_REJECTED) {
        throw e;
      }
      source.add("warning: could not read InferScale's schedules (" + e.getMessage()
          + "): decided with the built-in defaults; give the deployed policy with --policy");
      return null;
    }
    if (deployed == null) {
      source.add("note: no --policy, and no InferScale stack's schedule is for " + variantName
          + ": decided with the built-in defaults");
      return null;
    }
    if (deployed.policy() == null) {
      source.add("note: no --policy, and the schedule " + deployed.scheduleName() + " of the"
          + " InferScale stack for " + variantName + " carries none: decided with the built-in"
          + " defaults");
      return null;
    }
    source.add("note: decided with the policy of the InferScale stack for " + variantName
        + " (schedule " + deployed.scheduleName() + "); --policy replaces it, and"
        + " --capacity-check and --dry-run-deployment stand for the stack's CapacityCheck and"
        + " DryRun");
    return deployed;
  }

  private ScalerInvocation deployedInvocation(EndpointRecords.DeployedPolicy deployed) {
    try {
      return ScalerInvocation.parse(payload(deployed.policy()), deployment());
    } catch (InvalidRequestException e) {
      throw new InvalidDeployedPolicy("the policy in schedule " + deployed.scheduleName()
          + " is invalid: " + String.join("; ", e.problems()) + "; give one with --policy");
    }
  }

  /** A deployed schedule's policy that the scaler would refuse: a failure, not a usage error. */
  private static final class InvalidDeployedPolicy extends RuntimeException {
    InvalidDeployedPolicy(String message) {
      super(message);
    }
  }

  private ScalerInvocation invocation(JsonNode overrides) {
    try {
      return ScalerInvocation.parse(payload(overrides), deployment());
    } catch (InvalidRequestException e) {
      throw new ParameterException(spec.commandLine(), "invalid options: "
          + String.join("; ", e.problems().stream().map(DryRunCommand::asFlag).toList()));
    }
  }

  private ObjectNode payload(JsonNode overrides) {
    ObjectNode payload = Json.mapper().createObjectNode()
        .put("endpointName", variant.endpointName)
        .put("variantName", variant.variantName)
        .put("dryRun", true)
        .put("capacityCheck", capacityCheck);
    if (overrides != null) {
      payload.set("policy", overrides);
    }
    return payload;
  }

  /**
   * The payload's dryRun already keeps this run from applying anything; the deployment says which
   * forecast to read.
   */
  private Deployment deployment() {
    return new Deployment(dryRunDeployment, Deployment.standard().capacityMode());
  }

  /** The request names payload fields; the user typed flags. */
  private static String asFlag(String problem) {
    return problem.replace("endpointName", "--endpoint").replace("variantName", "--variant")
        .replace("capacityCheck", "--capacity-check").replaceFirst("^policy: ", "--policy: ");
  }

  enum Format {
    text,
    json
  }
}
