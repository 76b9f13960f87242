package inferscale.sizing;

import static inferscale.sizing.InvalidSizingInputException.requirePositive;
import static inferscale.sizing.InvalidSizingInputException.requireText;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A SageMaker instance type as sizing sees it: identical accelerators and an hourly price.
 *
 * @param kind {@code gpu} (the default), {@code neuron} (AWS Inferentia or Trainium chips, each
 *     counted as one accelerator) or {@code cpu} (the host's memory as one accelerator)
 * @param acceleratorMemoryGiB memory of one accelerator, in GiB as AWS lists it
 * @param memoryBandwidthGBps one accelerator's peak memory bandwidth, GB/s; null when unknown (no
 *     estimate of throughput is then made)
 * @param denseTflops one accelerator's peak dense FP16/BF16 TFLOPS; null when unknown
 * @param priceEstimated true when the price is not a figure AWS published
 */
public record InstanceType(
    @JsonProperty(required = true) String name,
    String kind,
    String accelerator,
    @JsonProperty(required = true) int accelerators,
    @JsonProperty(required = true) double acceleratorMemoryGiB,
    Double memoryBandwidthGBps,
    Double denseTflops,
    @JsonProperty(required = true) double hourlyPrice,
    boolean priceEstimated) {
  public static final String GPU = "gpu";
  public static final String NEURON = "neuron";
  public static final String CPU = "cpu";

  private static final double BYTES_PER_GIB = 1024.0 * 1024 * 1024;

  public InstanceType {
    requireText("name", name);
    kind = kind == null ? GPU : kind;
    if (!(kind.equals(GPU) || kind.equals(NEURON) || kind.equals(CPU))) {
      throw new InvalidSizingInputException("kind", "must be gpu, neuron or cpu, found " + kind);
    }
    if (memoryBandwidthGBps != null) {
      requirePositive("memoryBandwidthGBps", memoryBandwidthGBps);
    }
    if (denseTflops != null) {
      requirePositive("denseTflops", denseTflops);
    }
    requirePositive("accelerators", accelerators);
    requirePositive("acceleratorMemoryGiB", acceleratorMemoryGiB);
    requirePositive("hourlyPrice", hourlyPrice);
  }

  public double acceleratorMemoryBytes() {
    return acceleratorMemoryGiB * BYTES_PER_GIB;
  }

  /** {@code count} of this type's accelerators, e.g. {@code 4 x 24 GiB}; a CPU type's memory. */
  public String describeAccelerators(int count) {
    return kind.equals(CPU) ? "CPU " + Quantities.plain(acceleratorMemoryGiB) + " GiB"
        : count + " x " + Quantities.plain(acceleratorMemoryGiB) + " GiB";
  }
}
