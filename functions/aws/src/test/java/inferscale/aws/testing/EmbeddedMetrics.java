package inferscale.aws.testing;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Lambda's log pipeline, which the emulator lacks: an Embedded Metric Format line becomes
 * CloudWatch datapoints; any other line is ignored.
 */
public final class EmbeddedMetrics {
  private EmbeddedMetrics() {}

  public static void extract(CloudWatchClient cloudWatch, String line) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(line);
    } catch (IOException notJson) {
      return;
    }
    if (!root.has("_aws")) {
      return;
    }
    // Each line has its own timestamp; each directive publishes its metrics, with the values at
    // the root, under every one of its dimension sets.
    Instant timestamp = Instant.ofEpochMilli(root.at("/_aws/Timestamp").asLong());
    for (JsonNode directive : root.at("/_aws/CloudWatchMetrics")) {
      List<MetricDatum> data = new ArrayList<>();
      for (JsonNode dimensionSet : directive.get("Dimensions")) {
        List<Dimension> dimensions = new ArrayList<>();
        dimensionSet.forEach(name -> dimensions.add(Dimension.builder()
            .name(name.asText()).value(root.get(name.asText()).asText()).build()));
        for (JsonNode metric : directive.get("Metrics")) {
          String name = metric.get("Name").asText();
          data.add(MetricDatum.builder().metricName(name).dimensions(dimensions)
              .timestamp(timestamp).value(root.get(name).asDouble())
              .unit(StandardUnit.fromValue(metric.get("Unit").asText())).build());
        }
      }
      cloudWatch.putMetricData(b -> b.namespace(directive.get("Namespace").asText())
          .metricData(data));
    }
  }
}
