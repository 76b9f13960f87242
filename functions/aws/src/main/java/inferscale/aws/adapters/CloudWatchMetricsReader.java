package inferscale.aws.adapters;

import inferscale.decision.SignalPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/**
 * GetMetricData for all queries at once: one request per cycle (more pages only when a long range
 * exceeds what one response carries, as the forecaster's 28-day read can).
 */
public final class CloudWatchMetricsReader implements MetricsReader {
  /** GetMetricData takes at most 500 queries in one request. */
  public static final int MAX_QUERIES = 500;

  private final CloudWatchClient cloudWatch;

  @Inject
  public CloudWatchMetricsReader(CloudWatchClient cloudWatch) {
    this.cloudWatch = cloudWatch;
  }

  @Override
  public Map<String, List<SignalPoint>> read(
      List<MetricQuery> queries, Instant start, Instant end) {
    if (queries.isEmpty()) {
      return Map.of();
    }
    if (queries.size() > MAX_QUERIES) {
      throw new IllegalArgumentException("at most " + MAX_QUERIES + " queries per read");
    }
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("start " + start + " must be before end " + end);
    }
    List<MetricDataQuery> dataQueries = new ArrayList<>();
    Map<String, List<SignalPoint>> byId = new LinkedHashMap<>();
    for (MetricQuery query : queries) {
      if (byId.put(query.id(), new ArrayList<>()) != null) {
        throw new IllegalArgumentException("duplicate metric query id " + query.id());
      }
      dataQueries.add(toDataQuery(query));
    }
    String nextToken = null;
    do {
      GetMetricDataResponse response =
          cloudWatch.getMetricData(
              GetMetricDataRequest.builder()
                  .metricDataQueries(dataQueries)
                  .startTime(start)
                  .endTime(end)
                  .scanBy(ScanBy.TIMESTAMP_ASCENDING)
                  .nextToken(nextToken)
                  .build());
      for (MetricDataResult result : response.metricDataResults()) {
        List<SignalPoint> points = byId.get(result.id());
        if (points == null) {
          continue;
        }
        List<Instant> timestamps = result.timestamps();
        List<Double> values = result.values();
        for (int i = 0; i < Math.min(timestamps.size(), values.size()); i++) {
          points.add(new SignalPoint(timestamps.get(i), values.get(i)));
        }
      }
      nextToken = response.nextToken();
    } while (nextToken != null && !nextToken.isEmpty());

    Map<String, List<SignalPoint>> sorted = new HashMap<>();
    byId.forEach(
        (id, points) -> {
          points.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
          sorted.put(id, List.copyOf(points));
        });
    return sorted;
  }

  private static MetricDataQuery toDataQuery(MetricQuery query) {
    MetricSpec spec = query.spec();
    List<Dimension> dimensions = new ArrayList<>();
    for (MetricDimension d : spec.dimensions()) {
      dimensions.add(Dimension.builder().name(d.name()).value(d.value()).build());
    }
    return MetricDataQuery.builder()
        .id(query.id())
        .returnData(true)
        .metricStat(
            MetricStat.builder()
                .metric(
                    Metric.builder()
                        .namespace(spec.namespace())
                        .metricName(spec.name())
                        .dimensions(dimensions)
                        .build())
                .period(query.periodSeconds())
                .stat(spec.statistic())
                .build())
        .build();
  }
}
