package inferscale.sizing;

import static inferscale.sizing.InvalidSizingInputException.requirePositive;

/**
 * A fleet's target request rate and what one instance sustains, a figure the user benchmarks;
 * sizing cannot derive it from memory alone.
 */
public record Throughput(double targetRps, double rpsPerInstance) {

  public Throughput {
    requirePositive("targetRps", targetRps);
    requirePositive("rpsPerInstance", rpsPerInstance);
  }

  public long instancesNeeded() {
    return (long) Math.ceil(targetRps / rpsPerInstance);
  }
}
