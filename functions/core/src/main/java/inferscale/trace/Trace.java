package inferscale.trace;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Per-minute request demand, dense over the trace's span. Minutes the source did not cover are
 * gaps: their demand is unknown ({@link Double#NaN}), they are not scored and a controller sees no
 * data for them.
 */
public final class Trace {
  private final String name;
  private final Instant start;
  private final double[] requests;
  private final double[] inputTokens;
  private final double[] outputTokens;
  private final boolean hasTokens;
  private final double[] instances;

  /**
   * @param start wall-clock time of minute 0, or {@code null} when the source gives none
   * @param requests requests per minute, {@code NaN} for gaps
   * @param inputTokens, outputTokens token sums per minute, {@code null} when the trace has none
   */
  public Trace(
      String name, Instant start, double[] requests, double[] inputTokens, double[] outputTokens) {
    this(name, start, requests, inputTokens, outputTokens, null);
  }

  /**
   * @param instances the endpoint's serving instances in each minute, as recorded, {@code NaN}
   *     where unknown; {@code null} when the trace has none
   */
  public Trace(String name, Instant start, double[] requests, double[] inputTokens,
      double[] outputTokens, double[] instances) {
    this.name = Objects.requireNonNull(name, "name");
    this.start = start;
    this.requests = requests.clone();
    this.hasTokens = inputTokens != null && outputTokens != null;
    this.inputTokens = hasTokens ? inputTokens.clone() : null;
    this.outputTokens = hasTokens ? outputTokens.clone() : null;
    if (hasTokens
        && (inputTokens.length != requests.length || outputTokens.length != requests.length)) {
      throw new IllegalArgumentException("token columns must cover the same minutes as requests");
    }
    if (instances != null && instances.length != requests.length) {
      throw new IllegalArgumentException("instances must cover the same minutes as requests");
    }
    this.instances = instances == null ? null : instances.clone();
  }

  /** A trace without token counts. */
  public static Trace ofRequests(String name, double[] requests) {
    return new Trace(name, null, requests, null, null);
  }

  public String name() {
    return name;
  }

  /** Wall-clock time of minute 0, or {@code null}. */
  public Instant start() {
    return start;
  }

  /** Number of minutes from the first to the last row, gaps included. */
  public int length() {
    return requests.length;
  }

  public boolean isGap(int minute) {
    return Double.isNaN(requests[minute]);
  }

  /** Requests in that minute, {@code NaN} for a gap. */
  public double requests(int minute) {
    return requests[minute];
  }

  public boolean hasTokens() {
    return hasTokens;
  }

  /** Input plus output tokens in that minute, {@code NaN} for a gap or a trace without tokens. */
  public double tokens(int minute) {
    return hasTokens ? inputTokens[minute] + outputTokens[minute] : Double.NaN;
  }

  /** True when the trace records the endpoint's own instance counts (a history, not a load). */
  public boolean hasInstances() {
    return instances != null;
  }

  /** Instances serving in that minute as recorded, {@code NaN} where unknown or not recorded. */
  public double instances(int minute) {
    return instances == null ? Double.NaN : instances[minute];
  }

  /** Input tokens in that minute, {@code NaN} for a gap or a trace without tokens. */
  public double inputTokens(int minute) {
    return hasTokens ? inputTokens[minute] : Double.NaN;
  }

  /** Output tokens in that minute, {@code NaN} for a gap or a trace without tokens. */
  public double outputTokens(int minute) {
    return hasTokens ? outputTokens[minute] : Double.NaN;
  }

  /** A copy of the per-minute requests, {@code NaN} for gaps. */
  public double[] requestsArray() {
    return requests.clone();
  }

  /** Number of minutes that are not gaps. */
  public int coveredMinutes() {
    return (int) Arrays.stream(requests).filter(r -> !Double.isNaN(r)).count();
  }
}
