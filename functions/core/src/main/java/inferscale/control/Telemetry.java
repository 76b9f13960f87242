package inferscale.control;

import inferscale.decision.SignalPoint;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Port: the metrics of the endpoint variant a step runs for, and the series InferScale publishes
 * about it (its forecast, its record of scale-outs). Adapters: CloudWatch in the functions, the
 * simulated endpoint's published metrics in the backtest.
 */
public interface Telemetry {
  /**
   * Every series asked for, per minute, over [from, to), in one read. The lists are made for this
   * read and handed over: the adapter keeps no hold on them ({@link Readings} does not copy them).
   *
   * @throws PortFailure when the read fails
   */
  Readings read(Set<Series> series, Instant from, Instant to);

  /**
   * Requests counted in each of the {@code minutes} minutes before {@code end}, oldest first
   * ({@code NaN} where there is no data), and which of those minutes were saturated ({@link
   * RequestHistory#saturated(double, double)}) as far as the metrics still show it.
   *
   * @throws PortFailure when the read fails
   */
  RequestHistory requestHistory(Instant end, int minutes);

  /**
   * How many minutes each scale-out of instances of {@code instanceType} took from the ask to
   * InService, as the scalers recorded them over [from, to), oldest first.
   *
   * @throws PortFailure when the read fails
   */
  List<SignalPoint> startupMinutes(String instanceType, Instant from, Instant to);

  /** Which forecast this adapter reads, in a word for the decision's forecast summary. */
  String forecastChannel();
}
