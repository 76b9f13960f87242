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
  }

  /** The levels measured on one copy of {@code tensorParallel} accelerators of the type. */
  List<BenchmarkPoint> measured(String instanceType, int tensorParallel) {
    return benchmarks.stream().filter(p -> p.instanceType().equals(instanceType)
        && p.tensorParallel() == tensorParallel).toList();
  }
}
