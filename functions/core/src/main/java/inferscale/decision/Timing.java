package inferscale.decision;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * How long things take, one value shared by the scaler's policy, the forecaster's request and the
 * backtest's parameters, so the three cannot disagree.
 *
 * @param coldStartMinutes provisioning, image pull and model load of a new instance: the
 *     predictive floor looks this far ahead (plus the metric delay), over a window this long
 * @param metricDelayMinutes how late metrics reach CloudWatch: at minute t the newest published
 *     minute is t − this
 * @param forecastIntervalMinutes how often the forecaster runs: each forecast must last until the
 *     next one
 */
@JsonPropertyOrder({"coldStartMinutes", "metricDelayMinutes", "forecastIntervalMinutes"})
public record Timing(int coldStartMinutes, int metricDelayMinutes, int forecastIntervalMinutes) {
  /** CloudWatch takes datapoints at most two hours ahead: no published forecast reaches further. */
  public static final int MAX_FORECAST_REACH_MINUTES = 120;

  public static Timing defaults() {
    return new Timing(10, 2, 15);
  }

  /** Every problem, each naming {@code prefix} + its field and value; empty when valid. */
  public List<String> problems(String prefix) {
    List<String> problems = new ArrayList<>();
    between(problems, prefix + "coldStartMinutes", coldStartMinutes, 0, 120);
    between(problems, prefix + "metricDelayMinutes", metricDelayMinutes, 0, 60);
    between(problems, prefix + "forecastIntervalMinutes", forecastIntervalMinutes, 1, 60);
    return problems;
  }

  /** How far ahead the predictive floor looks: cold start plus metric delay. */
  public int preWarmLeadMinutes() {
    return coldStartMinutes + metricDelayMinutes;
  }

  /**
   * How long the predictive floor's window lasts after the lead: one cold start (at least a
   * minute), as on SageMaker the next change can land only after the current one finishes.
   */
  public int floorWindowMinutes() {
    return Math.max(1, coldStartMinutes);
  }

  /**
   * How far past its newest minute of history a forecast must reach: the minutes until the newest
   * published minute is now (the metric delay), then until the next run, then the floor's lead and
   * window; at most {@link #MAX_FORECAST_REACH_MINUTES}. The scaler reads overlapping forecasts as
   * their maximum, so reaching further would only let stale forecasts linger in the floor.
   */
  public int forecastReachMinutes() {
    return Math.min(MAX_FORECAST_REACH_MINUTES, forecastIntervalMinutes + metricDelayMinutes
        + preWarmLeadMinutes() + floorWindowMinutes());
  }

  public Timing withColdStartMinutes(int minutes) {
    return new Timing(minutes, metricDelayMinutes, forecastIntervalMinutes);
  }

  static void between(List<String> problems, String field, int value, int low, int high) {
    if (value < low || value > high) {
      problems.add(field + " must be between " + low + " and " + high + ", got " + value);
    }
  }
}
