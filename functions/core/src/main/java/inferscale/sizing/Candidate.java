package inferscale.sizing;

/**
 * One instance type judged for a {@link SizingRequest}. When it does not fit, {@code
 * tensorParallel}, {@code instances} and {@code hourlyCost} are null, {@code kvCacheGB} and {@code
 * maxConcurrentSequences} are what all its accelerators would hold, and {@code reason} says why.
 * Sized by throughput ({@link Serving}), it runs {@code copies} tensor-parallel groups, the split
 * that serves the most within the SLO; fields about throughput are null when sized by memory
 * alone.
 *
 * @param kvCacheGB memory left for the KV cache on the tensor-parallel group, decimal GB
 * @param maxConcurrentSequences full-context sequences that room holds
 * @param copies model copies on one instance, one per tensor-parallel group
 * @param throughput one copy's requests per second within the SLO, measured where the user
 *     benchmarked it, else estimated
 * @param estimate the estimate, also when a measured figure is used
 * @param rpsPerInstance what an instance serves: copies × one copy's, or the user's flat figure
 * @param instances for the target rate (the trace's peak minute), or 1
 * @param hourlyCost instances × hourly price
 * @param costPerMillionTokens the hourly price over the prompt and output tokens an instance
 *     serves in an hour at {@code rpsPerInstance}
 * @param instancesAtMedian for the trace's median minute
 * @param reason why it does not fit, or why it has no throughput figure; else null
 */
public record Candidate(
    String instanceType,
    boolean fits,
    Integer tensorParallel,
    double kvCacheGB,
    long maxConcurrentSequences,
    Integer copies,
    SloThroughput throughput,
    SloThroughput estimate,
    Double rpsPerInstance,
    Long instances,
    Double hourlyCost,
    Double costPerMillionTokens,
    Long instancesAtMedian,
    Double hourlyCostAtMedian,
    String reason) {}
