package inferscale.scaler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import inferscale.aws.Priming;
import inferscale.aws.ScalerWiring;
import inferscale.aws.invocation.CycleFailure;
import inferscale.aws.invocation.Deployment;
import inferscale.aws.invocation.InvalidRequestException;
import inferscale.aws.invocation.LogLine;
import inferscale.aws.invocation.ScalerInvocation;
import inferscale.aws.invocation.SqsBatch;
import inferscale.control.ScalerOutcome;
import inferscale.control.ScalerTask;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The ScalerFunction: parse the invocation ({@link ScalerInvocation}), run one {@link
 * inferscale.control.ScalerStep} on the AWS adapters ({@link ScalerWiring}), and return its outcome
 * as JSON (so a manual dry run sees the whole explained decision). The step writes the cycle's
 * record to the log as one Embedded Metric Format line (its {@code ScaleOutApplied} is what the
 * next cycles read back for the scale-in cooldown); the handler adds a warning per note and the
 * outcome as one line.
 *
 * <p>An SQS batch (the fleet's fan-out) is a cycle per message, answered with the messages to
 * retry. Invalid input fails the invocation with a message naming each bad field, before any AWS
 * call.
 * Any failure after that (AWS unreachable, throttled, the endpoint gone) is a hold: the handler
 * returns and logs a {@link CycleFailure} with a reason code instead of throwing.
 */
public final class ScalerHandler implements RequestStreamHandler {
  /** Where the sample event the function primes itself with is in the jar (from events/). */
  static final String PRIMING_EVENT = "/events/scaler-eventbridge-envelope.json";

  private final ScalerWiring wiring;
  private final Map<String, String> environment;
  private final Consumer<String> log;
  /** Held here because the runtime holds its checkpoint hooks weakly. */
  private Priming priming;

  /**
   * Lambda's entry point: clients are built here, in the init phase SnapStart snapshots, and one
   * offline cycle primes the function before the snapshot ({@link Priming}).
   */
  public ScalerHandler() {
    this(DaggerScalerComponent.create().wiring(), System.getenv(), System.out::println);
    priming = Priming.register(offline -> new ScalerHandler(DaggerScalerComponent.builder()
        .awsClientsModule(offline).build().wiring(), environment, line -> { }), PRIMING_EVENT, log);
  }

  /** With given wiring, deployment environment and log: for tests and other hosts. */
  public ScalerHandler(ScalerWiring wiring, Map<String, String> environment, Consumer<String> log) {
    this.wiring = wiring;
    this.environment = Map.copyOf(environment);
    this.log = log;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    byte[] bytes = input.readAllBytes();
    List<SqsBatch.Message> batch = SqsBatch.messages(bytes);
    if (batch == null) {
      output.write(cycle(bytes, context).getBytes(StandardCharsets.UTF_8));
      return;
    }
    // The fleet's turns, one per endpoint (FIFO: one message group per endpoint).
    output.write(SqsBatch.run(batch, body -> cycle(body, context))
        .getBytes(StandardCharsets.UTF_8));
  }

  /**
   * One cycle of one request: its outcome (or the failure it held on) as JSON.
   *
   * @throws InvalidRequestException when the request is invalid, after logging it
   */
  private String cycle(byte[] request, Context context) {
    ScalerInvocation invocation;
    try {
      invocation = ScalerInvocation.fromInput(request, Deployment.fromEnvironment(environment));
    } catch (InvalidRequestException e) {
      log.accept(LogLine.invalidRequest(e).toString());
      throw e;
    }
    ScalerTask task = invocation.task();
    if (!invocation.deprecatedFields().isEmpty()) {
      log.accept(LogLine.deprecated(invocation.deprecatedFields())
          .endpoint(task.endpointName(), task.variantName()).toString());
    }
    if (!invocation.unusedBudgetBounds().isEmpty()) {
      log.accept(LogLine.unusedBudgetBounds(invocation.unusedBudgetBounds())
          .endpoint(task.endpointName(), task.variantName()).toString());
    }
    ScalerOutcome outcome;
    try {
      outcome = wiring.step(invocation, log).run(task, () -> timeLeft(context));
    } catch (RuntimeException e) {
      // Nothing was changed, so hold, say why with a stable reason code, and let the next run try
      // again. An escaping exception would only add a stack trace and, with a retrying invoker, a
      // duplicate.
      CycleFailure failure = CycleFailure.of(task.endpointName(), task.variantName(), e);
      log.accept(LogLine.failed("cycle failed: holding", failure).toString());
      return failure.toJson();
    }
    for (String note : outcome.notes()) {
      log.accept(LogLine.warn(note).endpoint(task.endpointName(), task.variantName()).toString());
    }
    String json = outcome.toJson();
    log.accept(json);
    return json;
  }

  /** The priming registered by Lambda's entry point; null when built for tests or other hosts. */
  Priming priming() {
    return priming;
  }

  private static Duration timeLeft(Context context) {
    return context == null ? ChronoUnit.FOREVER.getDuration()
        : Duration.ofMillis(context.getRemainingTimeInMillis());
  }
}
