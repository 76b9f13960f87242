package inferscale.units;

/**
 * A request rate. Traces, the simulator and SageMaker's {@code Invocations} metric count requests
 * per minute; the policy, the RPS signal and the published forecast speak requests per second.
 * This type is the one place that converts between the two.
 */
public record RequestRate(double perSecond) {
  private static final double SECONDS_PER_MINUTE = 60;

  /**
   * More than any one endpoint serves: ten million requests a second, 600 million a minute. An
   * LLM instance serves at most some hundreds a second, so this rate would need tens of thousands
   * of instances behind one endpoint. Generous by orders of magnitude on purpose: it only rejects
   * counts that cannot be real, such as a wrapped 32-bit counter (above 4 billion).
   */
  public static final RequestRate MAX_PLAUSIBLE = ofPerSecond(10_000_000);

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
