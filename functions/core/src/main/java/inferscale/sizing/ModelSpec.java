package inferscale.sizing;

import static inferscale.sizing.InvalidSizingInputException.requirePositive;
import static inferscale.sizing.InvalidSizingInputException.requireText;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The architecture numbers that decide a decoder-only model's memory: total parameters, and the
 * layers, KV heads and head dimension that size its KV cache.
 *
 * @param repository where the numbers come from (e.g. a Hugging Face repository), or null
 */
public record ModelSpec(
    @JsonProperty(required = true) String name,
    String repository,
    @JsonProperty(required = true) double parametersBillions,
    @JsonProperty(required = true) int layers,
    @JsonProperty(required = true) int kvHeads,
    @JsonProperty(required = true) int headDim) {

  public ModelSpec {
    requireText("name", name);
    requirePositive("parametersBillions", parametersBillions);
    requirePositive("layers", layers);
    requirePositive("kvHeads", kvHeads);
    requirePositive("headDim", headDim);
  }

  /** Parameters × bytes per weight, in bytes. */
  public double weightsBytes(WeightPrecision precision) {
    return parametersBillions * 1e9 * precision.bytesPerWeight();
  }

  /**
   * One key and one value vector per layer and KV head: 2 × layers × KV heads × head dim × bytes.
   * Grouped-query attention keeps this small by sharing KV heads across query heads.
   */
  public long kvBytesPerToken(KvPrecision precision) {
    return 2L * layers * kvHeads * headDim * precision.bytesPerElement();
  }
}
