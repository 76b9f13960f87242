package inferscale.sizing;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The candidates for one request: those that fit, cheapest first; then those that do not, in the
 * catalog's order.
 *
 * @param workload the workload and SLO sized for by throughput, or null when sized by memory
 * @param traffic the trace sized for, or null
 * @param notes what the user gave that sizing could not use, e.g. a benchmark of a split it
 *     never considers
 */
public record SizingReport(String model, double weightsGB, long kvBytesPerToken,
    Workload workload, TrafficProfile traffic, List<Candidate> candidates, List<String> notes) {

  public SizingReport {
    candidates = List.copyOf(candidates);
    notes = List.copyOf(notes);
  }

  /** The cheapest candidate that serves the target (the trace's peak), if any does. */
  public Optional<Candidate> cheapest() {
    return candidates.stream().filter(c -> c.hourlyCost() != null).findFirst();
  }

  /** The cheapest candidate at the trace's median minute, if a trace was given. */
  public Optional<Candidate> cheapestAtMedian() {
    return candidates.stream().filter(c -> c.hourlyCostAtMedian() != null)
        .min(Comparator.comparing(Candidate::hourlyCostAtMedian));
  }

  /** The stable JSON form the CLI prints with {@code --format json}. */
  public String toJson() {
    return SizingJson.write(this);
  }
}
