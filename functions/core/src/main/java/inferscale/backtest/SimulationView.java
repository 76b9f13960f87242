package inferscale.backtest;

import inferscale.forecast.HistoryFingerprint;

/**
 * What a controller may know at minute {@link #minute()}: its own fleet, and the endpoint's
 * published metrics up to {@code minute − metricDelay}. Gaps in the trace publish nothing.
 */
public interface SimulationView {
  int minute();

  /** Instances asked for (serving and starting): the endpoint's desired count. */
  int desired();

  /** Instances serving now, at the start of this minute. */
  int serving();

  /** The endpoint's status now: {@code Updating} until every instance asked for serves. */
  String status();

  /** The minute the desired count last changed, or a large negative number if never. */
  int lastChangeMinute();

  /** The newest minute whose metrics are published by now. */
  int newestVisibleMinute();

  /**
   * True when minute {@code m} has metrics, published by now or not: it is in the trace (or before
   * it) and not a gap. High-resolution metrics are published before the minute's others.
   */
  boolean recorded(int m);

  /**
   * True when the metrics of minute {@code m} are published and not a gap. Minutes before the
   * trace (negative) read as the opening minute's: the endpoint served that demand before.
   */
  default boolean hasData(int m) {
    return m <= newestVisibleMinute() && recorded(m);
  }

  /** Requests in minute {@code m}; only valid when {@link #hasData}. */
  double demand(int m);

  /**
   * The fingerprints of the trace's requests over any window, NaN for gaps and for the minutes
   * before the trace (history a forecast may not read), published by now or not; null when the
   * view keeps none.
   */
  default HistoryFingerprint.Index requestsIndex() {
    return null;
  }

  /** Instances that were serving in minute {@code m}. */
  int serving(int m);

  /** Requests left waiting at the end of minute {@code m}. */
  double waiting(int m);

  /** KV-cache usage (0..1) of the serving instances in minute {@code m}. */
  double kvUsage(int m);

  /** Requests one instance serves per minute. */
  double mu();
}
