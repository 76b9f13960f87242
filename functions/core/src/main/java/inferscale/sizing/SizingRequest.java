package inferscale.sizing;

import static inferscale.sizing.InvalidSizingInputException.requirePositive;

import java.util.Objects;

/**
 * What to size for: a model at a precision, holding {@code concurrentSequences} sequences of
 * {@code contextTokens} tokens each on every instance.
 *
 * @param runtimeOverheadPercent share of each accelerator's memory kept for the serving runtime
 *     (CUDA context, activations, fragmentation), in [0, 100)
 * @param throughput the request rate to serve, or null for a single instance (or a trace's rate)
 */
public record SizingRequest(
    ModelSpec model,
    WeightPrecision precision,
    KvPrecision kvPrecision,
    int contextTokens,
    int concurrentSequences,
    double runtimeOverheadPercent,
    Throughput throughput) {

  public static final int DEFAULT_CONTEXT_TOKENS = 8192;
  public static final int DEFAULT_CONCURRENT_SEQUENCES = 32;
  public static final int DEFAULT_RUNTIME_OVERHEAD_PERCENT = 10;

  public SizingRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(kvPrecision, "kvPrecision");
    requirePositive("contextTokens", contextTokens);
    requirePositive("concurrentSequences", concurrentSequences);
    if (!(runtimeOverheadPercent >= 0 && runtimeOverheadPercent < 100)) {
      throw new InvalidSizingInputException(
          "runtimeOverheadPercent", "must be at least 0 and below 100, found " + runtimeOverheadPercent);
    }
  }

  public double weightsBytes() {
    return model.weightsBytes(precision);
  }

  public long kvBytesPerToken() {
    return model.kvBytesPerToken(kvPrecision);
  }
}
