package inferscale.sizing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides, per instance type, whether a model's weights plus the KV cache of the requested
 * concurrency fit in accelerator memory, on how few tensor-parallel accelerators, and what the
 * fleet costs.
 */
public final class Sizer {
  private static final double BYTES_PER_GB = 1e9;

  private static final Comparator<Candidate> BY_COST =
      Comparator.comparing(Candidate::hourlyCost)
          .thenComparing(Candidate::tensorParallel)
          .thenComparing(Candidate::instanceType);

  /**
   * Costed fits first, cheapest first; then fits without a throughput figure; then misfits. The
   * sort is stable, so the last two keep the catalog's order.
   */
  private static final Comparator<Candidate> CHEAPEST_FIT_FIRST =
      Comparator.comparingInt(Sizer::rank).thenComparing((a, b) ->
          a.hourlyCost() != null && b.hourlyCost() != null ? BY_COST.compare(a, b) : 0);

  private Sizer() {}

  /** Sized by memory alone, with the request's flat throughput figure if it has one. */
  public static SizingReport size(SizingRequest request, List<InstanceType> instanceTypes) {
    return size(request, instanceTypes, null);
  }

  /**
   * @param serving to size by each type's own throughput within the SLO (measured, else
   *     estimated), with a copy per tensor-parallel group; null to size by memory alone
   */
  public static SizingReport size(SizingRequest request, List<InstanceType> instanceTypes,
      Serving serving) {
    List<Candidate> candidates = new ArrayList<>();
    for (InstanceType type : instanceTypes) {
      candidates.add(judge(request, type, serving));
    }
    candidates.sort(CHEAPEST_FIT_FIRST);
    return new SizingReport(
        request.model().name(),
        gigabytes(request.weightsBytes()),
        request.kvBytesPerToken(),
        serving == null ? null : serving.workload(),
        serving == null ? null : serving.traffic(),
        candidates,
        serving == null ? List.of() : unusedBenchmarks(request, instanceTypes, serving));
  }

  /** Benchmarks of a type or split sizing never considers: a typo, or a split that cannot be. */
  private static List<String> unusedBenchmarks(SizingRequest request,
      List<InstanceType> instanceTypes, Serving serving) {
    List<String> notes = new ArrayList<>();
    Set<String> judged = new HashSet<>();
    for (BenchmarkPoint level : serving.benchmarks()) {
      String ranOn = level.instanceType() + " at TP " + level.tensorParallel();
      if (!judged.add(ranOn)) {
        continue;
      }
      InstanceType type = instanceTypes.stream()
          .filter(t -> t.name().equals(level.instanceType())).findFirst().orElse(null);
      int degree = level.tensorParallel();
      String why = type == null ? "no such instance type in the catalog"
          : !tensorParallelDegrees(type.accelerators()).contains(degree)
              ? "sizing splits " + type.accelerators() + " accelerators into groups of "
                  + tensorParallelDegrees(type.accelerators())
          : maxConcurrentSequences(request, type, degree) < request.concurrentSequences()
              ? "a group of " + degree + " does not hold the weights and "
                  + request.concurrentSequences() + " sequences"
          : null;
      if (why != null) {
        notes.add("benchmark of " + ranOn + " (" + level.source() + ") not used: " + why);
      }
    }
    Workload workload = serving.workload();
    for (BenchmarkPoint level : serving.benchmarks()) {
      if (level.failedShare() > 0) {
        notes.add(String.format(Locale.ROOT, "%s: %.1f %% of requests failed at concurrency %s,"
            + " counted as missing the SLO", level.source(), 100 * level.failedShare(),
            Quantities.plain(level.concurrency())));
      }
      if (level.inputTokens() != null && level.outputTokens() != null
          && (apart(level.inputTokens(), workload.meanInputTokens())
              || apart(level.outputTokens(), workload.meanOutputTokens()))) {
        notes.add(String.format(Locale.ROOT, "%s was measured at %.0f prompt + %.0f output tokens,"
            + " the workload is %.0f + %.0f: its rate may not hold", level.source(),
            level.inputTokens(), level.outputTokens(), workload.meanInputTokens(),
            workload.meanOutputTokens()));
      }
    }
    return notes;
  }

  /** More than a fifth apart: a benchmark's lengths no longer stand for the workload's. */
  private static boolean apart(double measured, double workload) {
    return Math.abs(measured - workload) > 0.2 * workload;
  }

  private static int rank(Candidate candidate) {
    return !candidate.fits() ? 2 : candidate.hourlyCost() == null ? 1 : 0;
  }

  /** Tensor-parallel degrees an instance offers: powers of two up to its accelerator count. */
  static List<Integer> tensorParallelDegrees(int accelerators) {
    List<Integer> degrees = new ArrayList<>();
    // degree > 0 stops at int overflow, for a user catalog with an absurd accelerator count.
    for (int degree = 1; degree > 0 && degree <= accelerators; degree *= 2) {
      degrees.add(degree);
    }
    return degrees;
  }

  /**
   * Memory one token's KV cache takes over {@code tensorParallel} accelerators. KV heads are split
   * across them; with fewer KV heads than accelerators each one keeps a copy of one head, as
   * vLLM does, so the total grows.
   */
  static long kvBytesPerToken(SizingRequest request, int tensorParallel) {
    int kvHeads = request.model().kvHeads();
    int headsPerAccelerator = (kvHeads + tensorParallel - 1) / tensorParallel;
    return request.kvBytesPerToken() / kvHeads * headsPerAccelerator * tensorParallel;
  }

  /** Memory left for the KV cache on {@code tensorParallel} accelerators, negative if none. */
  static double kvRoomBytes(SizingRequest request, InstanceType type, int tensorParallel) {
    double usablePerAccelerator =
        type.acceleratorMemoryBytes() * (1 - request.runtimeOverheadPercent() / 100);
    return tensorParallel * usablePerAccelerator - request.weightsBytes();
  }

  static long maxConcurrentSequences(SizingRequest request, InstanceType type, int tensorParallel) {
    double room = kvRoomBytes(request, type, tensorParallel);
    double perSequence = (double) kvBytesPerToken(request, tensorParallel) * request.contextTokens();
    return room <= 0 ? 0 : (long) Math.floor(room / perSequence);
  }

  private static Candidate judge(SizingRequest request, InstanceType type, Serving serving) {
    List<Integer> degrees = tensorParallelDegrees(type.accelerators());
    List<Integer> fitting = degrees.stream()
        .filter(d -> maxConcurrentSequences(request, type, d) >= request.concurrentSequences())
        .toList();
    if (fitting.isEmpty()) {
      int largest = degrees.get(degrees.size() - 1);
      double room = kvRoomBytes(request, type, largest);
      long sequences = maxConcurrentSequences(request, type, largest);
      return new Candidate(type.name(), false, null, gigabytes(Math.max(0, room)), sequences,
          null, null, null, null, null, null, null, null, null,
          room <= 0
              ? weightsDoNotFit(request, type, largest)
              : kvDoesNotFit(request, largest, room, sequences));
    }
    Double flat = request.throughput() == null ? null : request.throughput().rpsPerInstance();
    Split split = serving == null || flat != null ? Split.oneCopy(fitting.get(0), request, type,
        serving) : Split.mostThroughput(fitting, request, type, serving);
    int degree = split.tensorParallel();
    Double perInstance = flat != null ? flat : split.rpsPerInstance();
    Double target = request.throughput() != null ? Double.valueOf(request.throughput().targetRps())
        : serving != null && serving.traffic() != null ? serving.traffic().peakRps() : null;
    boolean serves = perInstance != null && perInstance > 0;
    Long instances;
    if (!serves) {
      // By memory alone and without a rate, one instance; sized by throughput, a type without a
      // figure is not costed even for one.
      instances = perInstance == null && serving == null && target == null ? Long.valueOf(1)
          : null;
    } else {
      instances = target == null ? 1 : Throughput.instancesFor(target, perInstance);
    }
    Long atMedian = !serves || serving == null || serving.traffic() == null ? null
        : Math.max(1, Throughput.instancesFor(serving.traffic().medianRps(), perInstance));
    Double perMillionTokens = !serves || serving == null ? null
        : type.hourlyPrice() / (perInstance * serving.workload().tokensPerRequest() * 3600) * 1e6;
    return new Candidate(type.name(), true, degree,
        gigabytes(kvRoomBytes(request, type, degree)),
        maxConcurrentSequences(request, type, degree), serving == null ? null : split.copies(),
        flat != null ? SloThroughput.given(flat) : split.throughput(), split.estimate(),
        perInstance, instances,
        instances == null ? null : instances * type.hourlyPrice(), perMillionTokens, atMedian,
        atMedian == null ? null : atMedian * type.hourlyPrice(),
        instances != null ? null : noThroughput(split));
  }

  private static String noThroughput(Split split) {
    return split.throughput() == null
        ? "no throughput figure: benchmark it (--benchmark); CPU types are not estimated"
        : "serves nothing within the SLO: " + split.throughput().note();
  }

  /**
   * How an instance's accelerators are split into tensor-parallel groups, one model copy each.
   *
   * @param throughput one copy's figure within the SLO, or null when there is none
   */
  private record Split(int tensorParallel, int copies, SloThroughput throughput,
      SloThroughput estimate) {

    /** One copy on the smallest group that holds it: sizing by memory, or by a flat figure. */
    static Split oneCopy(int degree, SizingRequest request, InstanceType type, Serving serving) {
      Split split = serving == null ? new Split(degree, 1, null, null)
          : of(degree, request, type, serving);
      return new Split(degree, 1, split.throughput(), split.estimate());
    }

    /**
     * The split whose copies serve the most within the SLO; the larger groups on a tie. Where the
     * user measured some splits of the type, only those: an estimate does not outbid them.
     */
    static Split mostThroughput(List<Integer> degrees, SizingRequest request, InstanceType type,
        Serving serving) {
      List<Integer> measured = degrees.stream()
          .filter(d -> !serving.measured(type.name(), d).isEmpty()).toList();
      Split best = null;
      for (int degree : measured.isEmpty() ? degrees : measured) {
        Split split = of(degree, request, type, serving);
        if (best == null || rps(split) >= rps(best)) {
          best = split;
        }
      }
      return best;
    }

    private static Split of(int degree, SizingRequest request, InstanceType type,
        Serving serving) {
      List<BenchmarkPoint> measured = serving.measured(type.name(), degree);
      SloThroughput estimate =
          ThroughputEstimate.estimate(request, type, degree, serving.workload());
      return new Split(degree, type.accelerators() / degree, measured.isEmpty() ? estimate
          : MeasuredThroughput.withinSlo(measured, serving.workload()), estimate);
    }

    private static double rps(Split split) {
      return split.throughput() == null ? -1 : split.copies() * split.throughput().rpsPerCopy();
    }

    Double rpsPerInstance() {
      return throughput == null ? null : copies * throughput.rpsPerCopy();
    }
  }

  private static String weightsDoNotFit(SizingRequest request, InstanceType type, int degree) {
    return String.format(
        Locale.ROOT,
        "%s weights need %.1f GB; %s leave %.1f GB after the %s%% runtime overhead",
        request.precision(),
        request.weightsBytes() / BYTES_PER_GB,
        type.describeAccelerators(degree),
        (kvRoomBytes(request, type, degree) + request.weightsBytes()) / BYTES_PER_GB,
        Quantities.plain(request.runtimeOverheadPercent()));
  }

  private static String kvDoesNotFit(
      SizingRequest request, int degree, double room, long sequences) {
    double needed =
        (double) kvBytesPerToken(request, degree)
            * request.contextTokens()
            * request.concurrentSequences();
    return String.format(
        Locale.ROOT,
        "KV cache for %d x %d tokens needs %.1f GB; %.1f GB left after weights at TP %d holds %d",
        request.concurrentSequences(),
        request.contextTokens(),
        needed / BYTES_PER_GB,
        room / BYTES_PER_GB,
        degree,
        sequences);
  }

  /** Decimal GB to two decimals, as AWS and model cards quote sizes. */
  private static double gigabytes(double bytes) {
    return Math.round(bytes / BYTES_PER_GB * 100) / 100.0;
  }
}
