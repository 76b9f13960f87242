package inferscale.forecaster;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.AwsClientSettings;
import inferscale.aws.AwsClientsModule;
import inferscale.aws.CycleFailure;
import inferscale.aws.ForecastChannel;
import inferscale.aws.InvalidRequestException;
import inferscale.aws.ScalerDefaults;
import inferscale.aws.ScalerRequest;
import inferscale.decision.InvalidPolicyException;
import inferscale.decision.PolicyConfig;
import inferscale.decision.PolicyConfigParser;
import inferscale.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The ForecastFunction: {@code {"endpointName", "variantName", "policy", "refreshMinutes"}}
 * ({@code policy} optional, the scaler's overrides; {@code refreshMinutes} optional, how often the
 * schedule runs this function, default {@value ForecastRun#DEFAULT_REFRESH_MINUTES}; or a
 * scheduled-event envelope carrying them in {@code detail}) → one {@link ForecastRun}, result
 * returned and logged as one line.
 *
 * <p>Like the scaler it honours the endpoint's pause tag (a paused endpoint gets no reads and no
 * forecast) and the deployment's {@code DRY_RUN}: a dry-run deployment's forecast is published
 * under {@code Mode = DryRun} ({@link ForecastChannel}), which only its own dry-run scaler reads,
 * so its dry-run decisions include the forecast floor and no live scaler ever uses it. If the
 * tags cannot be read the forecast is still published, with a warning: it changes no endpoint,
 * and the scaler makes its own pause check before anything is applied.
 */
public final class ForecastHandler implements RequestStreamHandler {
  private static final List<String> KNOWN_FIELDS =
      List.of("endpointName", "variantName", "policy", "refreshMinutes");
  /** The forecast lasts until the next run plus the floor's window, within CloudWatch's 2 h. */
  private static final int MAX_REFRESH_MINUTES = 60;

  private final ForecastRun run;
  private final PauseCheck pauseCheck;
  private final Map<String, String> environment;
  private final Consumer<String> log;

  /** Lambda's entry point; the 28-day read may take several pages, so calls get 60 s. */
  public ForecastHandler() {
    this(DaggerForecastComponent.builder()
        .awsClientsModule(new AwsClientsModule(
            AwsClientSettings.defaults().withApiCallTimeout(Duration.ofSeconds(60))))
        .build(), System.getenv(), System.out::println);
  }

  private ForecastHandler(ForecastComponent component, Map<String, String> environment,
      Consumer<String> log) {
    this(component.run(), component.pauseCheck(), environment, log);
  }

  /** Without a pause check or deployment settings (tests of the run itself). */
  ForecastHandler(ForecastRun run, Consumer<String> log) {
    this(run, null, Map.of(), log);
  }

  ForecastHandler(ForecastRun run, PauseCheck pauseCheck, Map<String, String> environment,
      Consumer<String> log) {
    this.run = run;
    this.pauseCheck = pauseCheck;
    this.environment = Map.copyOf(environment);
    this.log = log;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    JsonNode payload = payload(input.readAllBytes());
    List<String> problems = new ArrayList<>();
    String endpointName = ScalerRequest.sageMakerName(payload, "endpointName", problems);
    String variantName = ScalerRequest.sageMakerName(payload, "variantName", problems);
    payload.fieldNames().forEachRemaining(f -> {
      if (!KNOWN_FIELDS.contains(f)) {
        problems.add("unknown field '" + f + "'; known fields are " + KNOWN_FIELDS);
      }
    });
    int refreshMinutes = refreshMinutes(payload.get("refreshMinutes"), problems);
    // The scaler's policy (only its cold start and metric delay matter here), so both functions
    // agree on how far ahead the floor looks.
    PolicyConfig policy = PolicyConfig.defaults();
    try {
      policy = PolicyConfigParser.parse(payload.get("policy"), PolicyConfig.defaults());
    } catch (InvalidPolicyException e) {
      e.problems().forEach(problem -> problems.add("policy: " + problem));
    }
    boolean dryRun = false;
    try {
      dryRun = ScalerDefaults.fromEnvironment(environment).dryRun();
    } catch (InvalidRequestException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      log.accept("{\"level\":\"ERROR\",\"message\":\"invalid request\",\"problems\":"
          + Json.mapper().writeValueAsString(problems) + "}");
      throw new InvalidRequestException(problems);
    }
    if (paused(endpointName)) {
      String json = Json.mapper().createObjectNode().put("endpointName", endpointName)
          .put("variantName", variantName).put("paused", true).put("published", 0)
          .put("note", "endpoint is paused (" + inferscale.aws.EndpointState.PAUSED_TAG
              + " = true): nothing read or published").toString();
      log.accept(json);
      output.write(json.getBytes(StandardCharsets.UTF_8));
      return;
    }
    String json;
    try {
      json = Json.mapper().writeValueAsString(
          run.run(endpointName, variantName, policy, refreshMinutes,
              ForecastChannel.of(dryRun)));
    } catch (RuntimeException e) {
      // Reading the history or publishing failed after the SDK's bounded retries: nothing
      // half-done matters (a forecast is whole minutes, republished next run), so report and return.
      CycleFailure failure = CycleFailure.of(endpointName, variantName, e);
      com.fasterxml.jackson.databind.node.ObjectNode line =
          (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(failure.toJson());
      line.put("level", "ERROR").put("message", "forecast failed: nothing published this run");
      log.accept(line.toString());
      output.write(failure.toJson().getBytes(StandardCharsets.UTF_8));
      return;
    }
    log.accept(json);
    output.write(json.getBytes(StandardCharsets.UTF_8));
  }

  /** How often the schedule runs: the published forecast must last until the next run. */
  private static int refreshMinutes(JsonNode value, List<String> problems) {
    if (value == null || value.isNull()) {
      return ForecastRun.DEFAULT_REFRESH_MINUTES;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1
        || value.asInt() > MAX_REFRESH_MINUTES) {
      problems.add("refreshMinutes must be a whole number of minutes between 1 and "
          + MAX_REFRESH_MINUTES + ", got " + value);
      return ForecastRun.DEFAULT_REFRESH_MINUTES;
    }
    return value.asInt();
  }

  private boolean paused(String endpointName) {
    if (pauseCheck == null) {
      return false;
    }
    try {
      return pauseCheck.paused(endpointName);
    } catch (RuntimeException e) {
      log.accept(Json.mapper().createObjectNode().put("level", "WARN")
          .put("endpointName", endpointName)
          .put("message", "pause tag not readable (" + e.getClass().getSimpleName() + ": "
              + e.getMessage() + "); forecasting anyway, the scaler checks the tag itself")
          .toString());
      return false;
    }
  }

  static JsonNode payload(byte[] input) {
    JsonNode node;
    try {
      node = Json.mapper().readTree(input);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(
          List.of("the request is not valid JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (node != null && node.isObject() && node.has("detail-type") && node.has("detail")) {
      node = node.get("detail"); // an EventBridge rule's scheduled-event envelope
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRequestException(List.of(
          "the request must be a JSON object with endpointName and variantName"));
    }
    return node;
  }
}
