package inferscale.control;

import java.util.BitSet;
import java.util.Objects;

/**
 * Requests counted per minute, oldest first ({@code NaN} where there is no data), and the minutes
 * in which the endpoint was saturated: their count is what it served, a lower bound of the demand
 * that came, and the forecaster must not read it as demand.
 *
 * @param saturated indexes into {@code requests} of the saturated minutes
 */
public record RequestHistory(double[] requests, BitSet saturated) {
  public RequestHistory {
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(saturated, "saturated");
    requests = requests.clone();
    saturated = (BitSet) saturated.clone();
  }

  /** A history without saturated minutes. */
  public static RequestHistory of(double[] requests) {
    return new RequestHistory(requests, new BitSet());
  }

  @Override
  public double[] requests() {
    return requests.clone();
  }

  @Override
  public BitSet saturated() {
    return (BitSet) saturated.clone();
  }

  /**
   * A minute whose 5XX errors are at least this share of its requests was saturated; fewer are
   * the stray errors (bad payloads, a timeout) every endpoint answers some requests with.
   */
  public static final double SATURATED_ERROR_SHARE = 0.01;

  /**
   * How close to the capacity per instance a minute's requests per instance must be to show the
   * plateau of an endpoint serving all it can: well above it, the count itself shows that the
   * requests beyond the capacity were counted, and it is demand.
   */
  public static final double AT_CAPACITY_TOLERANCE = 0.02;

  /**
   * Whether a minute's requests are only a lower bound of demand: at least {@value
   * #SATURATED_ERROR_SHARE} of them failed with a 5XX, each serving instance took what it serves
   * within the latency SLO (within {@value #AT_CAPACITY_TOLERANCE} of it), or requests came and
   * no instance served.
   *
   * @param requests the minute's {@code Invocations}, NaN when none were published
   * @param errors5xx the minute's {@code Invocation5XXErrors}, NaN when none were published
   * @param requestsPerInstance the minute's {@code InvocationsPerInstance}, NaN when unknown,
   *     infinite when requests came and no instance served
   * @param capacityPerInstance requests one instance serves in a minute within the SLO, NaN when
   *     the policy does not say
   */
  public static boolean saturated(double requests, double errors5xx, double requestsPerInstance,
      double capacityPerInstance) {
    boolean failing = requests > 0 && errors5xx >= SATURATED_ERROR_SHARE * requests;
    boolean atCapacity = capacityPerInstance > 0
        && Math.abs(requestsPerInstance / capacityPerInstance - 1) <= AT_CAPACITY_TOLERANCE;
    return failing || atCapacity || requestsPerInstance == Double.POSITIVE_INFINITY;
  }
}
