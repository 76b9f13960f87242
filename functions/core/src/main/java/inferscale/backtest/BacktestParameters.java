package inferscale.backtest;

import java.util.ArrayList;
import java.util.List;

/**
 * The knobs of a backtest, the same for every policy.
 *
 * @param peakInstances instances needed at the trace's 99th-percentile minute: sets {@code mu}
 * @param coldStartMinutes an instance asked for at t serves from t + this (billed from t)
 * @param metricDelayMinutes at minute t a controller sees data up to t − this
 * @param targetUtilization share of {@code mu} the engine and target tracking aim for per instance
 */
public record BacktestParameters(
    int peakInstances, int coldStartMinutes, int metricDelayMinutes, double targetUtilization) {

  /** Traces longer than this are scored only after {@link #WARM_UP_MINUTES}. */
  static final int LONG_TRACE_MINUTES = (int) (10.5 * 24 * 60);

  static final int WARM_UP_MINUTES = 7 * 24 * 60;

  public static BacktestParameters defaults() {
    return new BacktestParameters(20, 8, 2, 0.7);
  }

  /** Every problem, each naming its option; empty when valid. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (peakInstances < 1 || peakInstances > 10_000) {
      problems.add("peakInstances must be between 1 and 10000, got " + peakInstances);
    }
    if (coldStartMinutes < 0 || coldStartMinutes > 120) {
      problems.add("coldStartMinutes must be between 0 and 120, got " + coldStartMinutes);
    }
    if (metricDelayMinutes < 0 || metricDelayMinutes > 60) {
      problems.add("metricDelayMinutes must be between 0 and 60, got " + metricDelayMinutes);
    }
    if (!(targetUtilization > 0 && targetUtilization <= 1)) {
      problems.add("targetUtilization must be in (0, 1], got " + targetUtilization);
    }
    return problems;
  }

  /** The first scored minute of a trace of this length. */
  static int scoredFrom(int traceLength) {
    return traceLength > LONG_TRACE_MINUTES ? WARM_UP_MINUTES : 0;
  }
}
