package inferscale.units;

/**
 * A request rate. Traces, the simulator and SageMaker's {@code Invocations} metric count requests
 * per minute; the policy, the RPS signal and the published forecast speak requests per second.
 * This type is the one place that converts between the two.
 */
public record RequestRate(double perSecond) {
  private static final double SECONDS_PER_MINUTE = 60;

  public static RequestRate ofPerSecond(double requestsPerSecond) {
    return new RequestRate(requestsPerSecond);
  }

  /** The rate of {@code requests} counted over one minute. */
  public static RequestRate ofPerMinute(double requests) {
    return new RequestRate(requests / SECONDS_PER_MINUTE);
  }

  /** Requests in one minute at this rate. */
  public double perMinute() {
    return perSecond * SECONDS_PER_MINUTE;
  }
}
