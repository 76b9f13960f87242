package inferscale.control;

import java.util.BitSet;
import java.util.Objects;

/**
 * Requests counted per minute, oldest first ({@code NaN} where there is no data), and the minutes
 * in which the endpoint was saturated: their count is what it served, a lower bound of the demand
 * that came, and the forecaster must not read it as demand. Immutable: it keeps copies.
 */
public final class RequestHistory {
  private final double[] requests;
  private final BitSet saturated;
  private final int minutesWithData;

  /**
   * @param requests requests per minute, oldest first, NaN where there is no data
   * @param saturated indexes into {@code requests} of the saturated minutes
   */
  public RequestHistory(double[] requests, BitSet saturated) {
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(saturated, "saturated");
    // Copied and counted in one pass: the backtest reads four weeks of minutes every cycle.
    this.requests = new double[requests.length];
    int withData = 0;
    for (int i = 0; i < requests.length; i++) {
      double value = requests[i];
      this.requests[i] = value;
      withData += Double.isNaN(value) ? 0 : 1;
    }
    this.minutesWithData = withData;
    this.saturated = (BitSet) saturated.clone();
  }

  /** A history without saturated minutes. */
  public static RequestHistory of(double[] requests) {
    return new RequestHistory(requests, new BitSet());
  }

  public double[] requests() {
    return requests.clone();
  }

  /** The requests without a copy, for this package's steps: each history read is theirs alone. */
  double[] requestsUncopied() {
    return requests;
  }

  /** Indexes into {@link #requests()} of the saturated minutes. */
  public BitSet saturated() {
    return (BitSet) saturated.clone();
  }

  /** Minutes that have a count (are not NaN). */
  public int minutesWithData() {
    return minutesWithData;
  }

  /**
   * A minute whose 5XX errors are at least this share of its requests was saturated; fewer are
   * the stray errors (bad payloads, a timeout) every endpoint answers some requests with.
   */
  public static final double SATURATED_ERROR_SHARE = 0.01;

  /**
   * Whether a minute's requests are only a lower bound of demand: at least {@value
   * #SATURATED_ERROR_SHARE} of them failed with a 5XX, the sign of an endpoint turning requests
   * away, whose clients then back off. Requests per instance at or above the capacity are not:
   * {@code Invocations} counts every request sent to the endpoint, so such a count is demand
   * (and in the backtest, whose endpoint counts every request that came, a saturation rule on
   * them marked the noisy minutes of thin traffic and pulled its forecasts up).
   *
   * @param requests the minute's {@code Invocations}, NaN when none were published
   * @param errors5xx the minute's {@code Invocation5XXErrors}, NaN when none were published
   */
  public static boolean saturated(double requests, double errors5xx) {
    return requests > 0 && errors5xx >= SATURATED_ERROR_SHARE * requests;
  }
}
