package inferscale.aws.adapters;

import inferscale.control.Readings;
import inferscale.control.RequestHistory;
import inferscale.control.Series;
import inferscale.control.Telemetry;
import inferscale.decision.SignalPoint;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * CloudWatch as the steps' {@link Telemetry}, for one endpoint variant or inference component: its
 * signals where {@link SignalMetrics} says they are, and InferScale's own series (the forecast on
 * the deployment's {@link ForecastChannel}, the scaler's record of scale-outs) in the {@code
 * InferScale} namespace.
 * Every read is one GetMetricData request (more pages only when a long range exceeds what one
 * response carries).
 */
public final class CloudWatchTelemetry implements Telemetry {
  private final MetricsReader reader;
  private final SignalMetrics metrics;
  private final ForecastChannel channel;
  private final MetricTarget target;
  private final String fallbackVariant;

  public CloudWatchTelemetry(MetricsReader reader, SignalMetrics metrics, ForecastChannel channel,
      String endpointName, String variantName) {
    this(reader, metrics, channel, MetricTarget.variant(endpointName, variantName), null);
  }

  /** @param fallbackVariant the policy's fallback variant, whose requests are demand too; or null */
  public CloudWatchTelemetry(MetricsReader reader, SignalMetrics metrics, ForecastChannel channel,
      MetricTarget target, String fallbackVariant) {
    this.reader = reader;
    this.metrics = metrics;
    this.channel = channel;
    this.target = target;
    this.fallbackVariant = fallbackVariant;
  }

  @Override
  public Readings read(Set<Series> series, Instant from, Instant to) {
    Plan plan = plan(series, "");
    return plan.readings(read(plan.queries(), from, to));
  }

  /**
   * The queries that read {@code series}, each id prefixed with {@code idPrefix} (which lets the
   * fleet dispatcher read many endpoints' series in one request), and how to read them back.
   */
  public Plan plan(Set<Series> series, String idPrefix) {
    Map<String, Series> ids = new LinkedHashMap<>();
    List<MetricQuery> queries = new ArrayList<>();
    for (Series s : series) {
      MetricSpec spec = spec(s);
      if (spec != null) {
        String id = idPrefix + s.name().toLowerCase(Locale.ROOT);
        queries.add(new MetricQuery(id, spec,
            s == Series.CONCURRENT_REQUESTS ? HIGH_RESOLUTION_SECONDS : 60));
        ids.put(id, s);
      }
    }
    return new Plan(List.copyOf(queries), Map.copyOf(ids));
  }

  /** One read's queries, and the series each id reads. */
  public record Plan(List<MetricQuery> queries, Map<String, Series> ids) {
    /** What the queries read, by id (others may be there too), as the steps' readings. */
    public Readings readings(Map<String, List<SignalPoint>> read) {
      Map<Series, List<SignalPoint>> readings = new EnumMap<>(Series.class);
      ids.forEach((id, s) -> {
        List<SignalPoint> points = read.getOrDefault(id, List.of());
        readings.put(s, s == Series.CONCURRENT_REQUESTS ? perMinute(points) : points);
      });
      return new Readings(readings);
    }
  }

  /** SageMaker's high-resolution metrics: a point every 10 seconds. */
  static final int HIGH_RESOLUTION_SECONDS = 10;

  /**
   * 10-second points as the per-minute series the steps read: each minute's mean, the current
   * minute's from the points it has so far (what makes the series fresh).
   */
  static List<SignalPoint> perMinute(List<SignalPoint> points) {
    Map<Instant, double[]> minutes = new TreeMap<>();
    for (SignalPoint p : points) {
      double[] sumAndCount = minutes.computeIfAbsent(
          p.timestamp().truncatedTo(ChronoUnit.MINUTES), m -> new double[2]);
      sumAndCount[0] += p.value();
      sumAndCount[1]++;
    }
    List<SignalPoint> perMinute = new ArrayList<>();
    minutes.forEach((minute, sumAndCount) ->
        perMinute.add(new SignalPoint(minute, sumAndCount[0] / sumAndCount[1])));
    return perMinute;
  }

  /**
   * Per-minute sums of {@code Invocations} where CloudWatch still has them (15 days), and for older
   * minutes the 5-minute sum (kept 63 days) spread over its five minutes; with the per-minute
   * {@code Invocation5XXErrors} that mark saturated minutes; in one request.
   */
  @Override
  public RequestHistory requestHistory(Instant end, int minutes) {
    Instant start = end.minus(Duration.ofMinutes(minutes));
    // 5-minute buckets are aligned to the epoch so they cover whole minutes of the history.
    long bucket = InvocationsHistory.BUCKET_SECONDS;
    Instant coarseStart = Instant.ofEpochSecond(Math.floorDiv(start.getEpochSecond(), bucket) * bucket);
    Map<String, List<SignalPoint>> read = read(
        List.of(new MetricQuery("perMinute", metrics.invocations(), 60),
            new MetricQuery("perFiveMinutes", metrics.invocations(), (int) bucket),
            new MetricQuery("errors5xx",
                SignalMetrics.invocation5xxErrors(target), 60)),
        coarseStart, end);
    double[] requests = InvocationsHistory.merge(read.getOrDefault("perMinute", List.of()),
        read.getOrDefault("perFiveMinutes", List.of()), start, minutes);
    return new RequestHistory(requests, InvocationsHistory.saturated(requests,
        read.getOrDefault("errors5xx", List.of()), start));
  }

  @Override
  public List<SignalPoint> startupMinutes(String instanceType, Instant from, Instant to) {
    return read(List.of(new MetricQuery("startup", InferScaleMetrics.startupMinutes(instanceType),
        60)), from, to).getOrDefault("startup", List.of());
  }

  @Override
  public String forecastChannel() {
    return channel.name();
  }

  private Map<String, List<SignalPoint>> read(List<MetricQuery> queries, Instant from,
      Instant to) {
    try {
      return reader.read(queries, from, to);
    } catch (SdkException e) {
      throw AwsFailures.of("GetMetricData", e);
    }
  }

  /** Where a series lives; null when the request turned its read off. */
  private MetricSpec spec(Series series) {
    return switch (series) {
      case REQUESTS -> metrics.invocations();
      case FALLBACK_REQUESTS -> fallbackVariant == null ? null
          : new MetricSpec(metrics.invocations().namespace(), metrics.invocations().name(),
              MetricSpec.variantDimensions(target.endpointName(), fallbackVariant),
              metrics.invocations().statistic());
      case NO_CAPACITY_REQUESTS -> SignalMetrics.noCapacityRequests(target);
      case KV_CACHE_USAGE -> metrics.kvCache();
      case WAITING_REQUESTS -> metrics.waitingRequests();
      case TTFT_P90_MS -> metrics.ttftP90Ms();
      case CONCURRENT_REQUESTS -> metrics.concurrentRequests();
      case FORECAST_UPPER_RPS -> InferScaleMetrics.forecastRps(target, channel);
      case FORECAST_EXPECTED_RPS -> InferScaleMetrics.forecastExpectedRps(target, channel);
      case SCALE_OUTS -> InferScaleMetrics.scaleOutApplied(target);
      case REQUESTS_PER_INSTANCE -> SignalMetrics.invocationsPerInstance(target);
      case BUDGET_UTILIZATION ->
          InferScaleMetrics.scalerState(InferScaleMetrics.BUDGET_UTILIZATION, target, channel);
      case BUDGET_FLOOR_BAND ->
          InferScaleMetrics.scalerState(InferScaleMetrics.BUDGET_FLOOR_BAND, target, channel);
      case BUDGET_WEEK_BURN -> InferScaleMetrics.scalerState(
          InferScaleMetrics.BUDGET_WEEK_BURN_PERCENT, target, channel);
      case BUDGET_WEEK_MINUTES ->
          InferScaleMetrics.scalerState(InferScaleMetrics.BUDGET_WEEK_MINUTES, target, channel);
      case BUDGET_DAY_BURN ->
          InferScaleMetrics.scalerState(InferScaleMetrics.BUDGET_BURN_PERCENT, target, channel);
      case BUDGET_DAY_MINUTES ->
          InferScaleMetrics.scalerState(InferScaleMetrics.BUDGET_DAY_MINUTES, target, channel);
      case LEARNED_COLD_START ->
          InferScaleMetrics.scalerState(InferScaleMetrics.LEARNED_COLD_START, target, channel);
      case LEAD_UPDATES ->
          InferScaleMetrics.scalerState(InferScaleMetrics.LEAD_UPDATES, target, channel);
    };
  }
}
