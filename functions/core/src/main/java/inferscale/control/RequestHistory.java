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
   * Whether a minute's requests are only a lower bound of demand: it had 5XX errors, or each
   * serving instance took at least what it serves within the latency SLO.
   *
   * @param errors5xx the minute's {@code Invocation5XXErrors}, NaN when none were published
   * @param requestsPerInstance the minute's {@code InvocationsPerInstance}, NaN when unknown
   * @param capacityPerInstance requests one instance serves in a minute within the SLO, NaN when
   *     the policy does not say
   */
  public static boolean saturated(
      double errors5xx, double requestsPerInstance, double capacityPerInstance) {
    return errors5xx > 0 || (capacityPerInstance > 0 && requestsPerInstance >= capacityPerInstance);
  }
}
