package inferscale.sizing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

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

  /** Fits first, cheapest first; the sort is stable, so misfits keep the catalog's order. */
  private static final Comparator<Candidate> CHEAPEST_FIT_FIRST =
      (a, b) -> {
        if (a.fits() != b.fits()) {
          return a.fits() ? -1 : 1;
        }
        return a.fits() ? BY_COST.compare(a, b) : 0;
      };

  private Sizer() {}

  public static SizingReport size(SizingRequest request, List<InstanceType> instanceTypes) {
    List<Candidate> candidates = new ArrayList<>();
    for (InstanceType type : instanceTypes) {
      candidates.add(judge(request, type));
    }
    candidates.sort(CHEAPEST_FIT_FIRST);
    return new SizingReport(
        request.model().name(),
        gigabytes(request.weightsBytes()),
        request.kvBytesPerToken(),
        candidates);
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

  private static Candidate judge(SizingRequest request, InstanceType type) {
    List<Integer> degrees = tensorParallelDegrees(type.accelerators());
    for (int degree : degrees) {
      long sequences = maxConcurrentSequences(request, type, degree);
      if (sequences >= request.concurrentSequences()) {
        long instances = request.instancesNeeded();
        return new Candidate(
            type.name(),
            true,
            degree,
            gigabytes(kvRoomBytes(request, type, degree)),
            sequences,
            instances,
            instances * type.hourlyPrice(),
            null);
      }
    }
    int largest = degrees.get(degrees.size() - 1);
    double room = kvRoomBytes(request, type, largest);
    long sequences = maxConcurrentSequences(request, type, largest);
    return new Candidate(
        type.name(),
        false,
        null,
        gigabytes(Math.max(0, room)),
        sequences,
        null,
        null,
        room <= 0
            ? weightsDoNotFit(request, type, largest)
            : kvDoesNotFit(request, largest, room, sequences));
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
