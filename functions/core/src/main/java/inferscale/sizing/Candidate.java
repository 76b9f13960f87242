package inferscale.sizing;

/**
 * One instance type judged for a {@link SizingRequest}. When it does not fit, {@code
 * tensorParallel}, {@code instances} and {@code hourlyCost} are null, {@code kvCacheGB} and {@code
 * maxConcurrentSequences} are what all its accelerators would hold, and {@code reason} says why.
 *
 * @param kvCacheGB memory left for the KV cache on the tensor-parallel group, decimal GB
 * @param maxConcurrentSequences full-context sequences that room holds
 * @param hourlyCost instances × hourly price
 */
public record Candidate(
    String instanceType,
    boolean fits,
    Integer tensorParallel,
    double kvCacheGB,
    long maxConcurrentSequences,
    Long instances,
    Double hourlyCost,
    String reason) {}
