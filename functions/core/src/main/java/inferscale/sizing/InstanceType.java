package inferscale.sizing;

import static inferscale.sizing.InvalidSizingInputException.requirePositive;
import static inferscale.sizing.InvalidSizingInputException.requireText;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A SageMaker instance type as sizing sees it: identical accelerators and an hourly price.
 *
 * @param acceleratorMemoryGiB memory of one accelerator, in GiB as AWS lists it
 * @param priceEstimated true when the price is not a figure AWS published
 */
public record InstanceType(
    @JsonProperty(required = true) String name,
    String accelerator,
    @JsonProperty(required = true) int accelerators,
    @JsonProperty(required = true) double acceleratorMemoryGiB,
    @JsonProperty(required = true) double hourlyPrice,
    boolean priceEstimated) {

  private static final double BYTES_PER_GIB = 1024.0 * 1024 * 1024;

  public InstanceType {
    requireText("name", name);
    requirePositive("accelerators", accelerators);
    requirePositive("acceleratorMemoryGiB", acceleratorMemoryGiB);
    requirePositive("hourlyPrice", hourlyPrice);
  }

  public double acceleratorMemoryBytes() {
    return acceleratorMemoryGiB * BYTES_PER_GIB;
  }

  /** {@code count} of this type's accelerators, e.g. {@code 4 x 24 GiB}. */
  public String describeAccelerators(int count) {
    return count + " x " + Quantities.plain(acceleratorMemoryGiB) + " GiB";
  }
}
