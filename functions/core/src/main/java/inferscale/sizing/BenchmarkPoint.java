package inferscale.sizing;

import static inferscale.sizing.InvalidSizingInputException.requirePositive;
import static inferscale.sizing.InvalidSizingInputException.requireText;

/**
 * One measured load level of one model copy: a tensor-parallel group of {@code tensorParallel}
 * accelerators on {@code instanceType}, driven at {@code concurrency} requests in flight.
 *
 * @param ttftMs time to first token at the statistic {@code ttftStatistic} ({@code p95} where
 *     the file has it; else {@code p99}, stricter; else {@code p50}, which the report flags)
 * @param itlMs mean (or median, where only that is given) inter-token latency
 * @param source the file and entry it came from, for messages
 * @param inputTokens the mean prompt the level was measured with, or null when the file omits it
 * @param outputTokens the mean output, or null
 * @param failedShare the share of its requests that failed: a level with failures does not
 *     measure what the copy serves, and counts as missing the SLO
 */
public record BenchmarkPoint(String instanceType, int tensorParallel, double concurrency,
    double rps, double ttftMs, String ttftStatistic, double itlMs, String source,
    Double inputTokens, Double outputTokens, double failedShare) {
  public BenchmarkPoint {
    requireText("instance_type", instanceType);
    requirePositive("tensor_parallel", tensorParallel);
    requirePositive("concurrency", concurrency);
    requirePositive("rps", rps);
    requirePositive("ttft", ttftMs);
    requirePositive("itl", itlMs);
  }

  /** A level whose file gives no lengths and no failures (the CSV). */
  public BenchmarkPoint(String instanceType, int tensorParallel, double concurrency, double rps,
      double ttftMs, String ttftStatistic, double itlMs, String source) {
    this(instanceType, tensorParallel, concurrency, rps, ttftMs, ttftStatistic, itlMs, source,
        null, null, 0);
  }
}
