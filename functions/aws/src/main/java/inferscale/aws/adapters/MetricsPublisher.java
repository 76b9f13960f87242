package inferscale.aws.adapters;

import java.util.List;

/** Publishes datapoints into one namespace. */
public interface MetricsPublisher {
  /** @return the number of calls it took */
  int publish(String namespace, List<MetricPoint> points);
}
