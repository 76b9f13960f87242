package inferscale.control;

import inferscale.forecast.HistoryFingerprint;
import java.util.BitSet;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Requests counted per minute, oldest first ({@code NaN} where there is no data), and the minutes
 * in which the endpoint was saturated: their count is what it served, a lower bound of the demand
 * that came, and the forecaster must not read it as demand. Immutable: it keeps copies. A reader
 * that knows the history's {@link HistoryFingerprint} without reading it (the backtest's) gives
 * the values as a supplier, read only when a forecaster needs them. Safe from several threads.
 */
public final class RequestHistory {
  private final int length;
  private final BitSet saturated;
  private final int minutesWithData;
  private final int saturatedWithData;
  private final HistoryFingerprint fingerprint;
  private Supplier<double[]> source;
  private double[] requests;

  /**
   * @param requests requests per minute, oldest first, NaN where there is no data
   * @param saturated indexes into {@code requests} of the saturated minutes
   */
  public RequestHistory(double[] requests, BitSet saturated) {
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(saturated, "saturated");
    this.length = requests.length;
    this.requests = requests.clone();
    this.saturated = (BitSet) saturated.clone();
    this.minutesWithData = withData(this.requests, null);
    this.saturatedWithData = withData(this.requests, this.saturated);
    this.fingerprint = null;
  }

  private RequestHistory(int length, int minutesWithData, HistoryFingerprint fingerprint,
      Supplier<double[]> source) {
    this.length = length;
    this.saturated = new BitSet();
    this.minutesWithData = minutesWithData;
    this.saturatedWithData = 0;
    this.fingerprint = fingerprint;
    this.source = source;
  }

  /** A history without saturated minutes. */
  public static RequestHistory of(double[] requests) {
    return new RequestHistory(requests, new BitSet());
  }

  /**
   * A history without saturated minutes known by its fingerprint, whose values {@code requests}
   * gives (once, when they are read).
   */
  public static RequestHistory fingerprinted(HistoryFingerprint fingerprint,
      int minutesWithData, Supplier<double[]> requests) {
    return new RequestHistory(fingerprint.length(), minutesWithData, fingerprint,
        Objects.requireNonNull(requests, "requests"));
  }

  public double[] requests() {
    return requestsUncopied().clone();
  }

  /** The requests without a copy, for this package's steps: each history read is theirs alone. */
  synchronized double[] requestsUncopied() {
    if (requests == null) {
      requests = source.get();
      source = null;
    }
    return requests;
  }

  /** Minutes in the history. */
  public int length() {
    return length;
  }

  /** Indexes into {@link #requests()} of the saturated minutes. */
  public BitSet saturated() {
    return (BitSet) saturated.clone();
  }

  /** Minutes that have a count (are not NaN). */
  public int minutesWithData() {
    return minutesWithData;
  }

  /** Saturated minutes that have a count. */
  public int saturatedWithData() {
    return saturatedWithData;
  }

  /** The fingerprint its reader knew it by without reading it, or null. */
  public HistoryFingerprint knownFingerprint() {
    return fingerprint;
  }

  /** Minutes with a count, of all or (when given) of the saturated ones. */
  private static int withData(double[] requests, BitSet only) {
    int count = 0;
    for (int i = only == null ? 0 : only.nextSetBit(0); i >= 0 && i < requests.length;
        i = only == null ? i + 1 : only.nextSetBit(i + 1)) {
      count += Double.isNaN(requests[i]) ? 0 : 1;
    }
    return count;
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
