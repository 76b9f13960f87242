package inferscale.forecaster;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import inferscale.aws.AwsClientSettings;
import inferscale.aws.AwsClientsModule;
import inferscale.aws.ForecastWiring;
import inferscale.aws.Priming;
import inferscale.aws.invocation.CycleFailure;
import inferscale.aws.invocation.Deployment;
import inferscale.aws.invocation.ForecastInvocation;
import inferscale.aws.invocation.InvalidRequestException;
import inferscale.aws.invocation.Invocations;
import inferscale.aws.invocation.LogLine;
import inferscale.aws.invocation.SqsBatch;
import inferscale.control.ForecastOutcome;
import inferscale.control.ForecastTask;
import inferscale.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The ForecastFunction: parse the invocation ({@link ForecastInvocation}), run one {@link
 * inferscale.control.ForecastStep} on the AWS adapters ({@link ForecastWiring}), return and log its
 * outcome as one line, a warning per note. Like the scaler it honours the endpoint's pause tag and
 * the deployment's {@code DRY_RUN} (a dry-run deployment publishes on its own channel, read only by
 * its own dry-run scaler). A failed read or publish is reported, not thrown: a forecast is whole
 * minutes, published again on the next run. In fleet mode the requests arrive as an SQS batch, a
 * forecast per message, answered with the messages to retry.
 */
public final class ForecastHandler implements RequestStreamHandler {
  /** Where the sample event the function primes itself with is in the jar (from events/). */
  static final String PRIMING_EVENT = "/events/forecast-schedule.json";

  private final ForecastWiring wiring;
  private final Map<String, String> environment;
  private final Consumer<String> log;
  /** Held here because the runtime holds its checkpoint hooks weakly. */
  private Priming priming;

  /**
   * Lambda's entry point; the 28-day read may take several pages, so calls get 60 s. One offline
   * run primes the function before the SnapStart snapshot ({@link Priming}).
   */
  public ForecastHandler() {
    this(DaggerForecastComponent.builder()
        .awsClientsModule(new AwsClientsModule(
            AwsClientSettings.defaults().withApiCallTimeout(Duration.ofSeconds(60)),
            Clock.systemUTC()))
        .build().wiring(), System.getenv(), System.out::println);
    priming = Priming.register(offline -> new ForecastHandler(DaggerForecastComponent.builder()
        .awsClientsModule(offline).build().wiring(), environment, line -> { }), PRIMING_EVENT, log);
  }

  /** With given wiring, deployment environment and log: for tests and other hosts. */
  public ForecastHandler(ForecastWiring wiring, Map<String, String> environment,
      Consumer<String> log) {
    this.wiring = wiring;
    this.environment = Map.copyOf(environment);
    this.log = log;
  }

  /** The priming registered by Lambda's entry point; null when built for tests or other hosts. */
  Priming priming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    byte[] bytes = input.readAllBytes();
    List<SqsBatch.Message> batch = SqsBatch.messages(bytes);
    // The fleet's forecasts arrive as an SQS batch, one message per endpoint.
    String answer = batch == null ? forecast(bytes) : SqsBatch.run(batch, this::forecast);
    output.write(answer.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * One forecast run: its outcome (or the failure) as JSON.
   *
   * @throws InvalidRequestException when the request is invalid, after logging it
   */
  private String forecast(byte[] request) {
    ForecastInvocation invocation;
    try {
      invocation = ForecastInvocation.parse(Invocations.payload(request),
          Deployment.fromEnvironment(environment));
    } catch (InvalidRequestException e) {
      log.accept(LogLine.invalidRequest(e).toString());
      throw e;
    }
    ForecastTask task = invocation.task();
    if (!invocation.deprecatedFields().isEmpty()) {
      log.accept(LogLine.deprecated(invocation.deprecatedFields())
          .endpoint(task.endpointName(), task.variantName()).toString());
    }
    ForecastOutcome outcome;
    try {
      outcome = wiring.step(invocation).run(task);
    } catch (RuntimeException e) {
      CycleFailure failure = CycleFailure.of(task.endpointName(), task.variantName(), e);
      log.accept(LogLine.failed("forecast failed: nothing published this run", failure)
          .toString());
      return failure.toJson();
    }
    for (String note : outcome.notes()) {
      log.accept(LogLine.warn(note).endpoint(task.endpointName(), task.variantName()).toString());
    }
    String json;
    try {
      json = Json.mapper().writeValueAsString(outcome);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a forecast outcome is always writable", e);
    }
    log.accept(json);
    return json;
  }
}
