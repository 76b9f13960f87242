package inferscale.scaler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.aws.CycleFailure;
import inferscale.aws.CycleResult;
import inferscale.aws.DecisionMetrics;
import inferscale.aws.InvalidRequestException;
import inferscale.aws.ScalerDefaults;
import inferscale.aws.ScalerRequest;
import inferscale.aws.ScalingCycle;
import inferscale.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The ScalerFunction: parse the event, run one {@link ScalingCycle}, and return the cycle's result
 * as JSON (so a manual dry run sees the whole explained decision). Logs one structured line with
 * the result and one Embedded Metric Format line with the decision's numbers.
 *
 * <p>Invalid input fails the invocation with a message naming each bad field, before any AWS call.
 * Any failure after that (AWS unreachable, throttled, the endpoint gone) is a hold: the handler
 * returns and logs a {@link CycleFailure} with a reason code instead of throwing. The update is only
 * started with {@link ScalingCycle#UPDATE_BUDGET} of the invocation left.
 */
public final class ScalerHandler implements RequestStreamHandler {
  private final ScalingCycle cycle;
  private final Map<String, String> environment;
  private final Consumer<String> log;

  /** Lambda's entry point: clients are built here, in the init phase SnapStart snapshots. */
  public ScalerHandler() {
    this(DaggerScalerComponent.create().cycle(), System.getenv(), System.out::println);
  }

  ScalerHandler(ScalingCycle cycle, Map<String, String> environment, Consumer<String> log) {
    this.cycle = cycle;
    this.environment = Map.copyOf(environment);
    this.log = log;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    ScalerRequest request;
    try {
      request = ScalerRequest.parse(ScalerEvents.payload(ScalerEvents.read(input.readAllBytes())),
          ScalerDefaults.fromEnvironment(environment));
    } catch (InvalidRequestException e) {
      ObjectNode line = Json.mapper().createObjectNode();
      line.put("level", "ERROR").put("message", "invalid request");
      line.putPOJO("problems", e.problems());
      log.accept(Json.mapper().writeValueAsString(line));
      throw e;
    }
    CycleResult result;
    try {
      result = cycle.run(request, note -> log.accept(note(request, note)),
          () -> context == null ? Long.MAX_VALUE : context.getRemainingTimeInMillis());
    } catch (RuntimeException e) {
      // A read failed (after the SDK's bounded retries) or the endpoint is gone: nothing was
      // changed, so hold, say why with a stable reason code, and let the next run try again. An
      // escaping exception would only add a stack trace and, with a retrying invoker, a duplicate.
      CycleFailure failure =
          CycleFailure.of(request.endpointName(), request.variantName(), e);
      ObjectNode line = (ObjectNode) Json.mapper().readTree(failure.toJson());
      line.put("level", "ERROR").put("message", "cycle failed: holding");
      log.accept(Json.mapper().writeValueAsString(line));
      output.write(failure.toJson().getBytes(StandardCharsets.UTF_8));
      return;
    }
    String json = result.toJson();
    log.accept(json);
    log.accept(DecisionMetrics.emf(result, Instant.now()));
    output.write(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String note(ScalerRequest request, String note) {
    ObjectNode line = Json.mapper().createObjectNode();
    line.put("level", "WARN").put("endpointName", request.endpointName())
        .put("variantName", request.variantName()).put("message", note);
    return line.toString();
  }
}
