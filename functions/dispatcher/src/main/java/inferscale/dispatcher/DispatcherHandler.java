package inferscale.dispatcher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.DispatcherWiring;
import inferscale.aws.fleet.DispatchReport;
import inferscale.aws.fleet.FleetDispatcher;
import inferscale.aws.invocation.CycleFailure;
import inferscale.aws.invocation.Deployment;
import inferscale.aws.invocation.InvalidRequestException;
import inferscale.aws.invocation.Invocations;
import inferscale.aws.invocation.LogLine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The FleetDispatcherFunction: on the scaler's schedule ({@code {"fanOut": "scaler"}}, the
 * default) or the forecaster's ({@code {"fanOut": "forecaster"}}), one {@link FleetDispatcher}
 * cycle; {@code "dryRun": true} plans without sending. Returns and logs the {@link DispatchReport},
 * and its Embedded Metric Format lines for the fleet dashboard.
 *
 * <p>Environment (set by the SAM template): {@code SCALER_QUEUE_URL}, {@code FORECAST_QUEUE_URL},
 * {@code DIRECTORY_REFRESH_MINUTES} (default 1), {@code FORECAST_INTERVAL_MINUTES} (default 15:
 * the forecasters' schedule, which every turn's policy carries), {@code FLEET_NAME} (the stack,
 * the dimension of the dispatcher's metrics), and the scaler's {@code DRY_RUN} and {@code
 * CAPACITY_CHECK}, with which each endpoint's tags are checked as the scaler will read them.
 */
public final class DispatcherHandler implements RequestStreamHandler {
  static final String SCALER_QUEUE = "SCALER_QUEUE_URL";
  static final String FORECAST_QUEUE = "FORECAST_QUEUE_URL";
  static final String REFRESH = "DIRECTORY_REFRESH_MINUTES";
  static final String FORECAST_INTERVAL = "FORECAST_INTERVAL_MINUTES";
  static final String FLEET_NAME = "FLEET_NAME";
  private static final List<String> FIELDS = List.of("fanOut", "dryRun");

  private final DispatcherWiring wiring;
  private final Map<String, String> environment;
  private final Consumer<String> log;

  /** Lambda's entry point. */
  public DispatcherHandler() {
    this(DaggerDispatcherComponent.create().wiring(), System.getenv(), System.out::println);
  }

  /** With given wiring, deployment environment and log: for tests and other hosts. */
  public DispatcherHandler(DispatcherWiring wiring, Map<String, String> environment,
      Consumer<String> log) {
    this.wiring = wiring;
    this.environment = Map.copyOf(environment);
    this.log = log;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Request request;
    Deployment deployment;
    int refresh;
    int forecastInterval;
    try {
      request = request(Invocations.payload(input.readAllBytes()));
      deployment = Deployment.fromEnvironment(environment);
      refresh = minutes(REFRESH, 1, 1, 60);
      forecastInterval = minutes(FORECAST_INTERVAL, 15, 5, 60);
    } catch (InvalidRequestException e) {
      log.accept(LogLine.invalidRequest(e).toString());
      throw e;
    }
    String queue = environment.get(request.fanOut() == FleetDispatcher.FanOut.SCALER
        ? SCALER_QUEUE : FORECAST_QUEUE);
    if (!request.dryRun() && (queue == null || queue.isBlank())) {
      InvalidRequestException e = new InvalidRequestException(List.of("environment variable "
          + (request.fanOut() == FleetDispatcher.FanOut.SCALER ? SCALER_QUEUE : FORECAST_QUEUE)
          + " is not set: deploy the stack with FleetMode=on"));
      log.accept(LogLine.invalidRequest(e).toString());
      throw e;
    }
    String answer;
    try {
      DispatchReport report = wiring.dispatcher(Duration.ofMinutes(refresh)).dispatch(
          request.fanOut(), deployment, forecastInterval, queue, request.dryRun(), log);
      report.notes().forEach(note -> log.accept(LogLine.warn(note).toString()));
      report.refused().forEach(turn -> log.accept(LogLine.error("turn not sent: " + turn)
          .toString()));
      report.emf(environment.getOrDefault(FLEET_NAME, "inferscale")).forEach(log);
      answer = report.toJson();
      // Each endpoint's turn is in its scaler's log; a line per turn here would outgrow a log
      // event (256 KB) at a few hundred endpoints.
      log.accept(report.withoutTurns().toJson());
    } catch (RuntimeException e) {
      // Nothing was sent (or only part): the next minute's cycle sends again.
      CycleFailure failure = CycleFailure.of(null, null, e);
      log.accept(LogLine.failed("fleet cycle failed", failure).toString());
      answer = failure.toJson();
      log.accept(answer);
    }
    output.write(answer.getBytes(StandardCharsets.UTF_8));
  }

  private record Request(FleetDispatcher.FanOut fanOut, boolean dryRun) {}

  private static Request request(JsonNode payload) {
    List<String> problems = new ArrayList<>();
    Invocations.unknownFields(payload, FIELDS, problems);
    FleetDispatcher.FanOut fanOut = FleetDispatcher.FanOut.SCALER;
    JsonNode named = payload.get("fanOut");
    if (named != null && !named.isNull()) {
      try {
        fanOut = FleetDispatcher.FanOut.valueOf(named.asText().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add("fanOut must be scaler or forecaster, got " + named);
      }
    }
    JsonNode dry = payload.get("dryRun");
    if (dry != null && !dry.isNull() && !dry.isBoolean()) {
      problems.add("dryRun must be true or false, got " + dry);
    }
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    return new Request(fanOut, dry != null && dry.asBoolean());
  }

  private int minutes(String variable, int byDefault, int least, int most) {
    String minutes = environment.getOrDefault(variable, String.valueOf(byDefault)).trim();
    try {
      int value = Integer.parseInt(minutes);
      if (value >= least && value <= most) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidRequestException(List.of("environment variable " + variable
        + " must be a whole number of minutes from " + least + " to " + most + ", got '"
        + minutes + "'"));
  }
}
