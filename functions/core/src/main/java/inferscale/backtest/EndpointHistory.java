package inferscale.backtest;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import inferscale.control.RequestHistory;
import inferscale.trace.Trace;
import java.time.Duration;
import java.time.Instant;

/**
 * An endpoint variant's recorded minutes, as SageMaker publishes them per minute: requests
 * ({@code Invocations}), requests per serving instance ({@code InvocationsPerInstance}, whose ratio
 * to the requests is the instance count) and errors ({@code Invocation5XXErrors}, {@code
 * ModelError}). SageMaker publishes nothing in a minute without requests, so after the first
 * recorded minute a minute without a datapoint is a minute without traffic; before it, the
 * endpoint's history is unknown and not part of the trace, and after the last one, it may be a
 * minute not yet published: the trace ends there.
 *
 * @param start the first minute asked for
 * @param invocations requests per minute from {@code start}, {@code NaN} where no datapoint
 * @param invocationsPerInstance the same minutes, {@code NaN} where no datapoint
 * @param errors5xx the same minutes, {@code NaN} where no datapoint
 * @param modelErrors the same minutes, {@code NaN} where no datapoint
 * @param currentInstances the count the endpoint has now: the last minute's when none was recorded
 */
public record EndpointHistory(String name, Instant start, double[] invocations,
    double[] invocationsPerInstance, double[] errors5xx, double[] modelErrors,
    int currentInstances) {

  public EndpointHistory {
    int minutes = invocations.length;
    if (invocationsPerInstance.length != minutes || errors5xx.length != minutes
        || modelErrors.length != minutes) {
      throw new IllegalArgumentException("every series must cover the same minutes");
    }
    invocations = invocations.clone();
    invocationsPerInstance = invocationsPerInstance.clone();
    errors5xx = errors5xx.clone();
    modelErrors = modelErrors.clone();
  }

  /** The first minute with a request count, or -1 when there is none. */
  public int firstRecordedMinute() {
    return RecordedMinutes.first(invocations, 0);
  }

  /**
   * The trace to backtest on: from the first recorded minute to the last, requests (0 where
   * nothing was recorded) and the serving instances where requests and requests per instance show
   * them.
   *
   * @throws IllegalStateException when no minute has a request count
   */
  public Trace trace() {
    int first = requireRecorded();
    int minutes = RecordedMinutes.last(invocations) + 1 - first;
    double[] requests = new double[minutes];
    double[] instances = new double[minutes];
    for (int i = 0; i < minutes; i++) {
      double count = invocations[first + i];
      double perInstance = invocationsPerInstance[first + i];
      requests[i] = Double.isNaN(count) ? 0 : Math.round(count);
      instances[i] = count > 0 && perInstance > 0 ? Math.round(count / perInstance) : Double.NaN;
    }
    if (Double.isNaN(instances[minutes - 1])) {
      instances[minutes - 1] = currentInstances;
    }
    return new Trace(name, start.plus(Duration.ofMinutes(first)), requests, null, null,
        instances);
  }

  /**
   * What a reader of the figures must know about the recorded minutes: those without data, the
   * errors, and the minutes the endpoint was saturated, whose recorded demand is a lower bound.
   */
  public Quality quality() {
    int first = requireRecorded();
    Trace trace = trace();
    int withoutData = 0;
    int with5xx = 0;
    int withModelErrors = 0;
    int saturated = 0;
    long total5xx = 0;
    long totalModelErrors = 0;
    for (int t = first; t < first + trace.length(); t++) {
      boolean failing = errors5xx[t] > 0;
      if (Double.isNaN(invocations[t])) {
        withoutData++;
      }
      if (failing) {
        with5xx++;
        total5xx += Math.round(errors5xx[t]);
      }
      if (modelErrors[t] > 0) {
        withModelErrors++;
        totalModelErrors += Math.round(modelErrors[t]);
      }
      if (RequestHistory.saturated(invocations[t], errors5xx[t])) {
        saturated++;
      }
    }
    return new Quality(trace.length(), withoutData, with5xx, total5xx,
        withModelErrors, totalModelErrors, saturated);
  }

  private int requireRecorded() {
    int first = firstRecordedMinute();
    if (first < 0) {
      throw new IllegalStateException("no Invocations recorded for " + name);
    }
    return first;
  }

  /**
   * @param minutes minutes from the first recorded one to the last
   * @param minutesWithoutData minutes without any datapoint, read as minutes without traffic
   * @param saturatedMinutes minutes with 5XX errors on at least 1 % of the requests ({@link
   *     RequestHistory#saturated}): their recorded demand is a lower bound of what came
   */
  @JsonPropertyOrder({"minutes", "minutesWithoutData", "minutesWith5xx", "invocation5xxErrors",
      "minutesWithModelErrors", "modelErrors", "saturatedMinutes"})
  public record Quality(int minutes, int minutesWithoutData, int minutesWith5xx,
      long invocation5xxErrors, int minutesWithModelErrors, long modelErrors,
      int saturatedMinutes) {}
}
