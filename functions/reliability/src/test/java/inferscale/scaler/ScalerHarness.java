package inferscale.scaler;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.AwsClientSettings;
import inferscale.aws.AwsClientsModule;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.json.Json;
import inferscale.reliability.FaultProxy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Test support: the scaler handler, wired by its own Dagger component with the production client
 * settings, talking to the emulator through a {@link FaultProxy}.
 */
public final class ScalerHarness implements AutoCloseable {
  /**
   * The deployed settings: {@link AwsClientSettings#defaults()} with its 3 attempts (the emulator
   * harness turns retries off with {@code aws.maxAttempts=1}; the deployed function does not).
   */
  public static final AwsClientSettings PRODUCTION = production();

  public final TestAwsComponent aws;
  public final FaultProxy proxy;
  public final AwsEmulator.Running emulator;
  public final String endpoint;
  public final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

  public ScalerHarness(AwsEmulator.Running emulator) throws Exception {
    this.emulator = emulator;
    this.aws = TestAwsComponent.create();
    this.proxy = new FaultProxy(emulator.endpoint());
    this.endpoint = Fixtures.uniqueName("llm");
  }

  private static AwsClientSettings production() {
    AwsClientSettings d = AwsClientSettings.defaults();
    return new AwsClientSettings(d.connectTimeout(), d.socketTimeout(),
        d.apiCallAttemptTimeout(), d.apiCallTimeout(), 3);
  }

  public ScalerHarness endpoint(int instances, Map<String, String> tags) {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, instances, tags);
    return this;
  }

  /** {@code minutes} whole minutes at {@code rps}, ending {@code endAgo} minutes ago. */
  public ScalerHarness traffic(double rps, int minutes, int endAgo) {
    double[] sums = new double[minutes];
    Arrays.fill(sums, rps * 60);
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT),
        Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(minutes + endAgo, ChronoUnit.MINUTES),
        sums);
    return this;
  }

  public ScalerHarness traffic(double rps) {
    return traffic(rps, 12, 0);
  }

  /** The scheduled payload: RPS at 2 per instance, 1..8 instances, capacity check off. */
  public String event(String policyExtra, String extra) {
    try {
      com.fasterxml.jackson.databind.node.ObjectNode policy = (com.fasterxml.jackson.databind.node.ObjectNode)
          Json.mapper().readTree("{\"minInstances\":1,\"maxInstances\":8,"
              + "\"targetRpsPerInstance\":2.0,\"signals\":[\"rps\"]}");
      if (!policyExtra.isEmpty()) {
        policy.setAll((com.fasterxml.jackson.databind.node.ObjectNode)
            Json.mapper().readTree("{" + policyExtra.substring(1) + "}"));
      }
      return "{\"endpointName\":\"" + endpoint + "\",\"variantName\":\"AllTraffic\","
          + "\"policy\":" + policy + ",\"capacityCheck\":\"none\",\"dryRun\":false" + extra + "}";
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public String event() {
    return event("", "");
  }

  public ScalerHandler handler(AwsClientSettings settings, Map<String, String> env) {
    return handler(settings, env, proxy.endpoint());
  }

  /** Clients are built while {@code aws.endpointUrl} points at {@code endpoint}. */
  public ScalerHandler handler(AwsClientSettings settings, Map<String, String> env, URI target) {
    return withEndpoint(target, () -> new ScalerHandler(DaggerScalerComponent.builder()
        .awsClientsModule(new AwsClientsModule(settings, java.time.Clock.systemUTC())).build()
        .wiring(), env, log::add));
  }

  public ScalerHandler handler() {
    return handler(PRODUCTION, Map.of());
  }

  public static <T> T withEndpoint(URI target, Supplier<T> build) {
    String before = System.getProperty("aws.endpointUrl");
    System.setProperty("aws.endpointUrl", target.toString());
    try {
      return build.get();
    } finally {
      if (before == null) {
        System.clearProperty("aws.endpointUrl");
      } else {
        System.setProperty("aws.endpointUrl", before);
      }
    }
  }

  /** One invocation: its output, or the exception that escaped (which the tests forbid). */
  public record Invocation(JsonNode output, Throwable escaped, Duration took) {
    public boolean failed() {
      return output != null && output.has("reason");
    }

    public String reason() {
      return output.path("reason").asText(null);
    }

    public boolean applied() {
      return output.path("applied").asBoolean();
    }

    public List<String> notApplied() {
      List<String> list = new ArrayList<>();
      output.path("notApplied").forEach(n -> list.add(n.asText()));
      return list;
    }

    public List<String> reasons() {
      List<String> list = new ArrayList<>();
      output.path("decision").path("reasons").forEach(n -> list.add(n.asText()));
      return list;
    }

    public int to() {
      return output.at("/decision/to").asInt();
    }

    /** What the handler returned, in a few words. */
    public String summary() {
      if (escaped != null) {
        return "exception escaped: " + escaped.getClass().getSimpleName();
      }
      if (failed()) {
        return "HOLD " + reason() + " (no decision)";
      }
      JsonNode d = output.get("decision");
      return d.get("action").asText() + " " + d.get("from").asInt() + "→" + d.get("to").asInt()
          + " " + reasons() + (applied() ? ", applied" : ", not applied " + notApplied());
    }
  }

  public Invocation invoke(ScalerHandler handler, String event) {
    return invoke(handler, event, null);
  }

  public Invocation invoke(ScalerHandler handler, String event, Context context) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long start = System.nanoTime();
    try {
      handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
          context);
      return new Invocation(Json.mapper().readTree(out.toByteArray()), null,
          Duration.ofNanos(System.nanoTime() - start));
    } catch (Throwable e) {
      return new Invocation(null, e, Duration.ofNanos(System.nanoTime() - start));
    }
  }

  public int desired() {
    return Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint);
  }

  /** "desired 2 → 2; 3 GetMetricData attempts; 0 updates" style facts for the report. */
  public String after(int before, String... actions) {
    StringBuilder s = new StringBuilder("endpoint desired " + before + "→" + desired());
    for (String action : actions) {
      s.append("; ").append(proxy.calls(action).size()).append("× ").append(action);
    }
    return s.toString();
  }

  /** A Lambda context with a fixed remaining time. */
  public static Context remaining(Duration left) {
    return new Context() {
      @Override public String getAwsRequestId() { return "test"; }
      @Override public String getLogGroupName() { return "test"; }
      @Override public String getLogStreamName() { return "test"; }
      @Override public String getFunctionName() { return "inferscale-scaler"; }
      @Override public String getFunctionVersion() { return "1"; }
      @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:test"; }
      @Override public CognitoIdentity getIdentity() { return null; }
      @Override public ClientContext getClientContext() { return null; }
      @Override public int getRemainingTimeInMillis() { return (int) left.toMillis(); }
      @Override public int getMemoryLimitInMB() { return 1024; }
      @Override public LambdaLogger getLogger() { return null; }
    };
  }

  @Override
  public void close() {
    proxy.close();
  }
}
