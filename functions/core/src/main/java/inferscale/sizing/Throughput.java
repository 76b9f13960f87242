package inferscale.sizing;

import static inferscale.sizing.InvalidSizingInputException.requirePositive;

import inferscale.units.RequestRate;

/**
 * A fleet's target request rate and, optionally, one figure for what any instance sustains. Without
 * it, sizing by throughput finds each type's own ({@link Serving}).
 *
 * @param rpsPerInstance one figure for every instance type, or null
 */
public record Throughput(double targetRps, Double rpsPerInstance) {
  /** More than any one endpoint serves, let alone one instance. */
  static final double MAX_RPS = RequestRate.MAX_PLAUSIBLE.perSecond();

  /**
   * One request every 1000 s, far below what any instance does: SageMaker gives a real-time
   * request 60 s, so an instance that serves at all completes one a minute or more.
   */
  static final double MIN_RPS_PER_INSTANCE = 0.001;

  public Throughput {
    requirePositive("targetRps", targetRps);
    requireAtMostMaxRps("targetRps", targetRps);
    if (rpsPerInstance != null) {
      requireFlatFigure(rpsPerInstance);
    }
  }

  private static void requireFlatFigure(double rpsPerInstance) {
    requirePositive("rpsPerInstance", rpsPerInstance);
    requireAtMostMaxRps("rpsPerInstance", rpsPerInstance);
    if (rpsPerInstance < MIN_RPS_PER_INSTANCE) {
      throw new InvalidSizingInputException("rpsPerInstance", "must be at least "
          + Quantities.plain(MIN_RPS_PER_INSTANCE) + " requests a second (one every 1000 s; a"
          + " real-time request gets 60 s), found " + rpsPerInstance);
    }
  }

  private static void requireAtMostMaxRps(String field, double value) {
    if (value > MAX_RPS) {
      throw new InvalidSizingInputException(field, "must be at most " + Quantities.plain(MAX_RPS)
          + " requests a second (more than any one endpoint serves), found " + value);
    }
  }

  /** Instances {@code targetRps} needs at {@code perInstance} each. */
  public static long instancesFor(double targetRps, double perInstance) {
    return (long) Math.ceil(targetRps / perInstance);
  }
}
