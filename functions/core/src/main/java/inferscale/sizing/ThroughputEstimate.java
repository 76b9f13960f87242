package inferscale.sizing;

import java.util.Locale;

/**
 * Requests per second one tensor-parallel group sustains within an SLO, estimated from the
 * accelerators' memory bandwidth and FLOPs when nothing was measured. A decode step reads every
 * weight and the batch's KV cache once, so it is bandwidth bound (or compute bound, at 2 ×
 * parameters FLOPs per token, for large batches); a prefill is compute bound at 2 × parameters
 * FLOPs per prompt token. With continuous batching of {@code b} requests:
 *
 * <ul>
 *   <li>requests per second = 1 / (prefill + output tokens × step(b) / b);
 *   <li>inter-token latency = step(b) + (b − 1) × prefill / output tokens, as the others'
 *       prefills interrupt a request's decoding (none when it is alone);
 *   <li>time to first token = prefill + its mean wait for earlier prefills (M/D/1 at the prefill
 *       load), held to the SLO's p95 as a mean: optimistic.
 * </ul>
 *
 * The largest batch the KV cache holds and the SLO allows gives the figure. It is an estimate:
 * docs/SIZING.md gives its error against published measurements.
 */
public final class ThroughputEstimate {
  /** Share of peak memory bandwidth a decode step achieves on one accelerator. */
  static final double BANDWIDTH_EFFICIENCY = 0.7;
  /**
   * What each accelerator beyond the first costs a decode step in synchronisation (an all-reduce
   * per layer): efficiency 0.7 / (1 + 0.25 × (t − 1)). Fitted to three published points, see
   * docs/SIZING.md; prefills, large matrix products, are taken not to pay it.
   */
  static final double TENSOR_PARALLEL_OVERHEAD = 0.25;
  /** Share of peak dense FLOPs a prefill achieves. */
  static final double COMPUTE_EFFICIENCY = 0.5;
  /** Batches beyond this are not searched: no serving engine schedules more. */
  static final int MAX_BATCH = 4096;

  private ThroughputEstimate() {}

  /**
   * @param tensorParallel accelerators in the group, which must hold the weights
   * @return null when the instance type lists no bandwidth or FLOPs (CPU types: measure them)
   */
  public static SloThroughput estimate(SizingRequest request, InstanceType type,
      int tensorParallel, Workload workload) {
    if (type.memoryBandwidthGBps() == null || type.denseTflops() == null) {
      return null;
    }
    Group group = new Group(request, type, tensorParallel, workload);
    double kvRoom = Sizer.kvRoomBytes(request, type, tensorParallel);
    long memoryBatch = kvRoom <= 0 ? 0 : (long) Math.floor(kvRoom
        / (Sizer.kvBytesPerToken(request, tensorParallel) * workload.tokensPerRequest()));
    if (memoryBatch < 1) {
      return new SloThroughput(SloThroughput.ESTIMATED, 0, 0, 0, 0,
          "no room for one request's KV cache");
    }
    double most = Math.min(memoryBatch, MAX_BATCH);
    if (!group.meets(1, workload)) {
      Double thinned = group.rpsMeetingTtftAtOne(workload);
      if (thinned == null) {
        return new SloThroughput(SloThroughput.ESTIMATED, 0, 0, group.ttftMs(1),
            group.itlMs(1), String.format(Locale.ROOT,
                "one request alone misses %s (TTFT %.0f ms, ITL %.1f ms)",
                group.binding(1, workload), group.ttftMs(1), group.itlMs(1)));
      }
      double inFlight = thinned / group.rps(1);
      return new SloThroughput(SloThroughput.ESTIMATED, thinned, inFlight, workload.ttftSloMs(),
          group.itlMs(1), String.format(Locale.ROOT,
              "the TTFT SLO binds at %.2f in flight (prompts queue behind each other)", inFlight));
    }
    String note;
    double batch;
    if (group.meets(most, workload)) {
      batch = most;
      note = most == memoryBatch ? "the KV cache holds " + memoryBatch + " requests"
          : "batch capped at " + MAX_BATCH;
    } else {
      // Both latencies grow with the batch: bisect for the (average) batch where one reaches
      // its SLO, so that the figure moves smoothly with the inputs.
      double low = 1;
      double high = most;
      for (int i = 0; i < 60; i++) {
        double middle = (low + high) / 2;
        if (group.meets(middle, workload)) {
          low = middle;
        } else {
          high = middle;
        }
      }
      batch = low;
      note = group.binding(high, workload) + " binds at "
          + String.format(Locale.ROOT, "%.1f", batch) + " in flight";
    }
    return new SloThroughput(SloThroughput.ESTIMATED, group.rps(batch), batch,
        group.ttftMs(batch), group.itlMs(batch), note);
  }

  /** One decode step of {@code batch} requests, in ms: a single stream's inter-token latency. */
  static double decodeStepMs(SizingRequest request, InstanceType type, int tensorParallel,
      Workload workload, int batch) {
    return 1000 * new Group(request, type, tensorParallel, workload).step(batch);
  }

  /** One prompt's prefill alone, in ms: an idle server's time to first token. */
  static double prefillMs(SizingRequest request, InstanceType type, int tensorParallel,
      Workload workload) {
    return 1000 * new Group(request, type, tensorParallel, workload).prefill;
  }

  /** One tensor-parallel group's timings, in seconds unless named otherwise. */
  private static final class Group {
    private final double weightsBytes;
    private final double kvBytesPerRequest;
    private final double flopsPerToken;
    private final double bandwidth;
    private final double flops;
    private final double outputTokens;
    private final double prefill;

    Group(SizingRequest request, InstanceType type, int tensorParallel, Workload workload) {
      weightsBytes = request.weightsBytes();
      // A request's KV cache when read halfway through its output, on average.
      kvBytesPerRequest = Sizer.kvBytesPerToken(request, tensorParallel)
          * (workload.meanInputTokens() + workload.meanOutputTokens() / 2);
      flopsPerToken = 2 * request.model().parametersBillions() * 1e9;
      bandwidth = tensorParallel * type.memoryBandwidthGBps() * 1e9 * BANDWIDTH_EFFICIENCY
          / (1 + TENSOR_PARALLEL_OVERHEAD * (tensorParallel - 1));
      flops = tensorParallel * type.denseTflops() * 1e12 * COMPUTE_EFFICIENCY;
      outputTokens = workload.meanOutputTokens();
      prefill = Math.max(flopsPerToken * workload.meanInputTokens() / flops,
          weightsBytes / (tensorParallel * type.memoryBandwidthGBps() * 1e9
              * BANDWIDTH_EFFICIENCY));
    }

    boolean meets(double batch, Workload workload) {
      return ttftMs(batch) <= workload.ttftSloMs() && itlMs(batch) <= workload.itlSloMs();
    }

    String binding(double batch, Workload workload) {
      return ttftMs(batch) > workload.ttftSloMs() ? "the TTFT SLO" : "the ITL SLO";
    }

    double step(double batch) {
      return Math.max((weightsBytes + batch * kvBytesPerRequest) / bandwidth,
          flopsPerToken * batch / flops);
    }

    double rps(double batch) {
      return 1 / (prefill + outputTokens * step(batch) / batch);
    }

    double itlMs(double batch) {
      return 1000 * (step(batch) + (batch - 1) * prefill / outputTokens);
    }

    double ttftMs(double batch) {
      double load = rps(batch) * prefill;
      return 1000 * (prefill + load * prefill / (2 * (1 - load)));
    }

    /**
     * When one request in flight meets the ITL SLO and a prompt alone the TTFT SLO, but the
     * prompts arriving at one in flight's full rate queue past it: the rate, below that, at which
     * the queue meets it (load ρ with ρ / (2 (1 - ρ)) = SLO / prefill - 1). Otherwise null. So a
     * faster accelerator, whose full rate at one in flight queues more prompts, still serves a
     * higher rate, never none: its prefill is no longer, so that load allows at least as many
     * prompts a second.
     */
    Double rpsMeetingTtftAtOne(Workload workload) {
      double slack = workload.ttftSloMs() / (1000 * prefill) - 1;
      if (itlMs(1) > workload.itlSloMs() || slack <= 0) {
        return null;
      }
      double load = 2 * slack / (1 + 2 * slack);
      return Math.min(rps(1), load / prefill);
    }
  }
}
