package inferscale.sizing;

import java.util.List;

/**
 * The candidates for one request: those that fit, cheapest first; then those that do not, in the
 * catalog's order.
 */
public record SizingReport(
    String model, double weightsGB, long kvBytesPerToken, List<Candidate> candidates) {

  public SizingReport {
    candidates = List.copyOf(candidates);
  }

  /** The stable JSON form the CLI prints with {@code --format json}. */
  public String toJson() {
    return SizingJson.write(this);
  }
}
