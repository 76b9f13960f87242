package inferscale.forecaster;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import inferscale.aws.ForecastChannel;
import inferscale.aws.InferScaleMetrics;
import inferscale.aws.MetricDimension;
import inferscale.aws.MetricPoint;
import inferscale.aws.MetricsPublisher;
import inferscale.aws.MetricsReader;
import inferscale.forecast.Forecast;
import inferscale.forecast.Forecaster;
import inferscale.decision.PolicyConfig;
import inferscale.planning.PreWarmPlanner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;

/**
 * One forecast cycle: read the history, forecast, publish. What is published, per future minute
 * and in requests per second (the unit the scaler's RPS signal uses):
 * {@value InferScaleMetrics#FORECAST_RPS} from the upper quantile and
 * {@value InferScaleMetrics#FORECAST_EXPECTED_RPS} from the point forecast, which the scaler's
 * floor reads together. Both reach only as far ahead as the floor needs until the next run: the
 * scaler reads overlapping forecasts as their maximum, so a longer reach would let stale forecasts
 * linger in the floor.
 */
public final class ForecastRun {
  /** The ForecastFunction's default schedule. */
  public static final int DEFAULT_REFRESH_MINUTES = 15;
  static final int HISTORY_MINUTES = (int) DemandHistory.MAX_HISTORY.toMinutes();

  private final MetricsReader metrics;
  private final MetricsPublisher publisher;
  private final Forecaster forecaster;
  private final Clock clock;

  @Inject
  public ForecastRun(MetricsReader metrics, MetricsPublisher publisher, Forecaster forecaster,
      Clock clock) {
    this.metrics = metrics;
    this.publisher = publisher;
    this.forecaster = forecaster;
    this.clock = clock;
  }

  /** What one run did, returned to the invoker and logged. */
  @JsonPropertyOrder({"endpointName", "variantName", "historyMinutes", "minutesWithData",
      "status", "note", "published", "firstMinute", "lastMinute"})
  public record Result(String endpointName, String variantName, int historyMinutes,
      int minutesWithData, String status, String note, int published, Instant firstMinute,
      Instant lastMinute) {}

  /**
   * @param policy the scaler's policy: its cold start and metric delay set the floor's reach
   * @param refreshMinutes how often the ForecastFunction runs: the forecast must last until the
   *     next run
   * @param channel where to publish: a dry-run deployment's forecast is read only by its own
   *     scaler
   */
  public Result run(String endpointName, String variantName, PolicyConfig policy,
      int refreshMinutes, ForecastChannel channel) {
    int reach = new inferscale.decision.Timing(policy.timing().coldStartMinutes(),
        policy.timing().metricDelayMinutes(), refreshMinutes).forecastReachMinutes();
    Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    double[] history =
        new DemandHistory(metrics).read(endpointName, variantName, minute, HISTORY_MINUTES);
    int withData = 0;
    for (double v : history) {
      if (!Double.isNaN(v)) {
        withData++;
      }
    }
    Forecast forecast = forecaster.forecast(history, reach);
    List<MetricDimension> dims = channel.dimensions(endpointName, variantName);
    List<MetricPoint> points = new ArrayList<>();
    // Index 0 is the minute right after the history: the current minute.
    int horizon = forecast.point().length;
    for (int h = 0; h < horizon; h++) {
      Instant at = minute.plus(Duration.ofMinutes(h));
      addRate(points, InferScaleMetrics.FORECAST_RPS, dims, at, forecast.upper()[h]);
      addRate(points, InferScaleMetrics.FORECAST_EXPECTED_RPS, dims, at, forecast.point()[h]);
    }
    if (!points.isEmpty()) {
      publisher.publish(InferScaleMetrics.NAMESPACE, points);
    }
    String note = !forecast.isOk()
        ? "less than a day of Invocations history: nothing published, the scaler stays reactive"
        : channel == ForecastChannel.DRY_RUN
        ? "dry-run deployment: published under Mode = DryRun, read only by its dry-run scaler"
        : null;
    return new Result(endpointName, variantName, history.length, withData,
        forecast.status().name(), note, points.size(), horizon == 0 ? null : minute,
        horizon == 0 ? null : minute.plus(Duration.ofMinutes(horizon - 1L)));
  }

  private static void addRate(List<MetricPoint> points, String name, List<MetricDimension> dims,
      Instant at, double requestsPerMinute) {
    if (Double.isFinite(requestsPerMinute) && requestsPerMinute >= 0) {
      points.add(new MetricPoint(name, dims, at, requestsPerMinute / 60.0, "Count/Second"));
    }
  }
}
