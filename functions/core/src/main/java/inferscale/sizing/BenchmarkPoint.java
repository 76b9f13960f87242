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
 */
public record BenchmarkPoint(String instanceType, int tensorParallel, double concurrency,
    double rps, double ttftMs, String ttftStatistic, double itlMs, String source) {
  public BenchmarkPoint {
    requireText("instance_type", instanceType);
    requirePositive("tensor_parallel", tensorParallel);
    requirePositive("concurrency", concurrency);
    requirePositive("rps", rps);
    requirePositive("ttft", ttftMs);
    requirePositive("itl", itlMs);
  }
}
