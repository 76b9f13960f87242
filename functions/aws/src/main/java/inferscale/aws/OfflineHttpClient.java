package inferscale.aws;

import inferscale.aws.adapters.InferScaleMetrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An HTTP client that answers every AWS call itself, for SnapStart priming: the SDK marshals,
 * signs and unmarshals as for real, and nothing leaves the process. It answers what a cycle of
 * either function reads as a small in-service endpoint with two days of steady traffic, newly
 * deployed: CloudWatch GetMetricData (query protocol) with one point per period of each query but
 * the errors and InferScale's own records other than the forecast, SageMaker's
 * DescribeEndpoint, DescribeEndpointConfig and ListTags with variant {@value #VARIANT} on one
 * instance; any other call (an update, PutMetricData, the tagging API) with an empty success.
 */
final class OfflineHttpClient implements SdkHttpClient {
  static final String VARIANT = "AllTraffic";
  private static final Duration HISTORY = Duration.ofDays(2);
  private static final double REQUESTS_PER_PERIOD = 600;
  private static final Map<String, String> SAGEMAKER = Map.of(
      "SageMaker.DescribeEndpoint", """
          {"EndpointName": "priming", "EndpointStatus": "InService",
           "EndpointArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/priming",
           "EndpointConfigName": "priming", "CreationTime": 0, "LastModifiedTime": 0,
           "ProductionVariants": [{"VariantName": "%s", "CurrentInstanceCount": 1,
             "DesiredInstanceCount": 1, "CurrentWeight": 1.0}]}""".formatted(VARIANT),
      "SageMaker.DescribeEndpointConfig", """
          {"EndpointConfigName": "priming", "ProductionVariants": [{"VariantName": "%s",
           "ModelName": "priming", "InstanceType": "ml.g5.xlarge"}]}""".formatted(VARIANT),
      "SageMaker.ListTags", "{\"Tags\": []}");

  private final List<String> answered = new CopyOnWriteArrayList<>();

  /** The calls answered, in order: each {@code X-Amz-Target}, or the query protocol's action. */
  List<String> answered() {
    return List.copyOf(answered);
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        String body = answer(request);
        return HttpExecuteResponse.builder()
            .response(SdkHttpResponse.builder().statusCode(200)
                .putHeader("Content-Type", body.startsWith("<") ? "text/xml" : "application/json")
                .build())
            .responseBody(AbortableInputStream.create(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
            .build();
      }

      @Override
      public void abort() {}
    };
  }

  @Override
  public void close() {}

  private String answer(HttpExecuteRequest request) {
    String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse(null);
    if (target != null) {
      answered.add(target);
      return SAGEMAKER.getOrDefault(target, "{}");
    }
    Map<String, String> form = form(request);
    String action = form.getOrDefault("Action", "Unknown");
    answered.add(action);
    String result = action.equals("GetMetricData") ? metricData(form) : "";
    return "<" + action + "Response xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><"
        + action + "Result>" + result + "</" + action + "Result></" + action + "Response>";
  }

  /**
   * Each query's points, one per period, over the last two days of the range asked for; none for
   * 5XX errors: a healthy endpoint, none of whose minutes was saturated.
   */
  private static String metricData(Map<String, String> form) {
    Instant end = Instant.parse(form.get("EndTime"));
    Instant start = Instant.parse(form.get("StartTime"));
    if (start.isBefore(end.minus(HISTORY))) {
      start = end.minus(HISTORY);
    }
    StringBuilder results = new StringBuilder("<MetricDataResults>");
    for (int query = 1; form.containsKey(member(query, "Id")); query++) {
      String period = form.getOrDefault(member(query, "MetricStat.Period"), "60");
      StringBuilder timestamps = new StringBuilder();
      StringBuilder values = new StringBuilder();
      String name = form.getOrDefault(member(query, "MetricStat.Metric.MetricName"), "");
      String namespace = form.getOrDefault(member(query, "MetricStat.Metric.Namespace"), "");
      // No errors, and of InferScale's own records only the forecast: a new deployment's.
      boolean answered = !name.equals("Invocation5XXErrors")
          && (!namespace.equals(InferScaleMetrics.NAMESPACE) || name.startsWith("ForecastRps"));
      for (Instant t = start; answered && t.isBefore(end);
          t = t.plus(Long.parseLong(period), ChronoUnit.SECONDS)) {
        timestamps.append("<member>").append(t).append("</member>");
        values.append("<member>").append(REQUESTS_PER_PERIOD).append("</member>");
      }
      results.append("<member><Id>").append(form.get(member(query, "Id")))
          .append("</Id><StatusCode>Complete</StatusCode><Timestamps>").append(timestamps)
          .append("</Timestamps><Values>").append(values).append("</Values></member>");
    }
    return results.append("</MetricDataResults>").toString();
  }

  private static String member(int query, String field) {
    return "MetricDataQueries.member." + query + "." + field;
  }

  /** The query protocol's form-encoded body, which the SDK gzips from 10 KB (PutMetricData). */
  private static Map<String, String> form(HttpExecuteRequest request) {
    Map<String, String> fields = new LinkedHashMap<>();
    boolean gzipped = request.httpRequest().firstMatchingHeader("Content-Encoding")
        .filter(encoding -> encoding.contains("gzip")).isPresent();
    String body = request.contentStreamProvider().map(provider -> {
      try (InputStream in = gzipped ? new GZIPInputStream(provider.newStream())
          : provider.newStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).orElse("");
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }
}
