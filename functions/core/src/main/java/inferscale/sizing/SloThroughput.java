package inferscale.sizing;

/**
 * Requests per second one copy of a model (one tensor-parallel group) sustains within a {@link
 * Workload}'s SLO, and how that was found.
 *
 * @param basis {@code measured} (from the user's benchmark) or {@code estimated} (from the
 *     instance's bandwidth and FLOPs)
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
}
