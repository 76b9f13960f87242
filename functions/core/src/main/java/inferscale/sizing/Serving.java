package inferscale.sizing;

import java.util.List;
import java.util.Objects;

/**
 * What sizing by throughput needs beyond memory: the workload and its SLO, the user's own
 * benchmarks (measured figures win over the estimate), and the traffic to size for.
 *
 * @param traffic the trace's rates, or null: then the request's target rate, or one instance
 */
public record Serving(Workload workload, List<BenchmarkPoint> benchmarks,
    TrafficProfile traffic) {
  public Serving {
    Objects.requireNonNull(workload, "workload");
    benchmarks = List.copyOf(benchmarks);
    for (int i = 0; i < benchmarks.size(); i++) {
      for (int j = i + 1; j < benchmarks.size(); j++) {
        BenchmarkPoint a = benchmarks.get(i);
        BenchmarkPoint b = benchmarks.get(j);
        if (a.instanceType().equals(b.instanceType()) && a.tensorParallel() == b.tensorParallel()
            && a.concurrency() == b.concurrency()) {
          throw new InvalidSizingInputException("benchmark", "two results for " + a.instanceType()
              + " at TP " + a.tensorParallel() + " and concurrency "
              + Quantities.plain(a.concurrency()) + ": " + a.source() + " and " + b.source()
              + "; keep one");
        }
      }
    }
  }

  /** The levels measured on one copy of {@code tensorParallel} accelerators of the type. */
  List<BenchmarkPoint> measured(String instanceType, int tensorParallel) {
    return benchmarks.stream().filter(p -> p.instanceType().equals(instanceType)
        && p.tensorParallel() == tensorParallel).toList();
  }
}
