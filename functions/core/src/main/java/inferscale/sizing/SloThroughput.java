package inferscale.sizing;

/**
 * Requests per second one copy of a model (one tensor-parallel group) sustains within a {@link
 * Workload}'s SLO, and how that was found.
 *
 * @param basis {@code measured} (from the user's benchmark), {@code estimated} (from the
 *     instance's bandwidth and FLOPs) or {@code given} (the user's one figure for every type)
 * @param rpsPerCopy 0 when no concurrency meets the SLO
 * @param concurrency requests in flight on the copy at that rate
 * @param ttftMs time to first token at that concurrency
 * @param itlMs inter-token latency at that concurrency
 * @param note what bounds the figure: the SLO that binds, memory, or the measurements' range
 */
public record SloThroughput(String basis, double rpsPerCopy, double concurrency, double ttftMs,
    double itlMs, String note) {
  public static final String MEASURED = "measured";
  public static final String ESTIMATED = "estimated";
  public static final String GIVEN = "given";

  /** The user's one figure for every instance type, of one copy an instance. */
  public static SloThroughput given(double rpsPerInstance) {
    return new SloThroughput(GIVEN, rpsPerInstance, 0, 0, 0, "one figure for every type");
  }
}
