package inferscale.sizing;

import static inferscale.sizing.InvalidSizingInputException.requirePositive;

/**
 * What a request asks of a model and what the user promises its callers: mean prompt and output
 * lengths, and the latency SLO a throughput figure must hold.
 *
 * @param ttftSloMs time to first token, at the 95th percentile where it was measured
 * @param itlSloMs time between output tokens (inter-token latency), mean
 */
public record Workload(double meanInputTokens, double meanOutputTokens, double ttftSloMs,
    double itlSloMs) {
  public static final int DEFAULT_INPUT_TOKENS = 1024;
  public static final int DEFAULT_OUTPUT_TOKENS = 256;
  public static final int DEFAULT_TTFT_SLO_MS = 2000;
  public static final int DEFAULT_ITL_SLO_MS = 100;

  public Workload {
    requirePositive("meanInputTokens", meanInputTokens);
    requirePositive("meanOutputTokens", meanOutputTokens);
    requirePositive("ttftSloMs", ttftSloMs);
    requirePositive("itlSloMs", itlSloMs);
  }

  /** Tokens one request carries, prompt and output. */
  public double tokensPerRequest() {
    return meanInputTokens + meanOutputTokens;
  }
}
