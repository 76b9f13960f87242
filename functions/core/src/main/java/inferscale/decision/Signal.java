package inferscale.decision;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** A load signal the reactive policy tracks, with its JSON name and how its window aggregates. */
public enum Signal {
  /** Requests per second; the window's mean smooths per-minute noise. */
  RPS("rps", Aggregation.MEAN),
  /** KV-cache usage 0..1; the window's maximum, since a full cache stalls requests. */
  KV_CACHE("kvCache", Aggregation.MAX),
  /** Requests waiting in the server's queue, endpoint total; the window's maximum. */
  QUEUE("waitingRequests", Aggregation.MAX),
  /** Time to first token, p90 in milliseconds; the window's maximum. */
  TTFT("ttftP90Ms", Aggregation.MAX),
  /**
   * In-flight requests per serving instance (SageMaker's high-resolution {@code
   * ConcurrentRequestsPerModel}): by Little's law the request rate times the latency, seen within
   * seconds instead of minutes; the window's mean, as for RPS, the newest (partial) minute
   * included.
   */
  CONCURRENCY("concurrency", Aggregation.MEAN);

  enum Aggregation {
    MEAN,
    MAX
  }

  private final String jsonName;
  private final Aggregation aggregation;

  Signal(String jsonName, Aggregation aggregation) {
    this.jsonName = jsonName;
    this.aggregation = aggregation;
  }

  @JsonValue
  public String jsonName() {
    return jsonName;
  }

  Aggregation aggregation() {
    return aggregation;
  }

  /** Accepts the JSON name ({@code kvCache}) or the constant name ({@code KV_CACHE}). */
  @JsonCreator
  public static Signal fromName(String name) {
    for (Signal signal : values()) {
      if (signal.jsonName.equals(name) || signal.name().equals(name.toUpperCase(Locale.ROOT))) {
        return signal;
      }
    }
    throw new IllegalArgumentException(
        "unknown signal '"
            + name
            + "', expected one of "
            + Arrays.stream(values()).map(Signal::jsonName).toList());
  }
}
