package inferscale.backtest;

import inferscale.decision.Timing;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The knobs of a backtest, the same for every policy.
 *
 * @param peakInstances instances needed at the trace's 99th-percentile minute: sets {@code mu}
 * @param timing cold start (an instance asked for at t serves from t + this, billed from t),
 *     metric delay (at minute t a controller sees data up to t − this) and the forecaster's
 *     interval: the same value the engine's policy carries
 * @param targetUtilization share of {@code mu} the engine and target tracking aim for per instance
 */
public record BacktestParameters(int peakInstances, Timing timing, double targetUtilization) {

  /** Traces longer than this are scored only after {@link #WARM_UP_MINUTES}. */
  static final int LONG_TRACE_MINUTES = (int) (10.5 * 24 * 60);

  static final int WARM_UP_MINUTES = 7 * 24 * 60;

  public BacktestParameters {
    Objects.requireNonNull(timing, "timing");
  }

  /** 20 instances at the p99 minute, an 8-minute cold start, the policy's other timing, 70 %. */
  public static BacktestParameters defaults() {
    return new BacktestParameters(20, Timing.defaults().withColdStartMinutes(8), 0.7);
  }

  /** Every problem, each naming its field; empty when valid. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (peakInstances < 1 || peakInstances > 10_000) {
      problems.add("peakInstances must be between 1 and 10000, got " + peakInstances);
    }
    problems.addAll(timing.problems(""));
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
