package inferscale.control;

import java.time.Instant;

/**
 * The newest minute of demand a cycle could see: what shadow scoring compares both the asked-for
 * and the serving counts with, at that minute rather than the cycle's (requests are counted a few
 * minutes late).
 *
 * @param minute the start of the minute the requests were counted in
 * @param requests the requests counted in that minute (SageMaker's {@code Invocations}, Sum)
 * @param capacityPerInstance requests per minute one instance serves within the latency SLO (the
 *     policy's {@code maxRpsPerInstance}), or null when the policy does not say
 */
public record ObservedDemand(Instant minute, double requests, Double capacityPerInstance) {}
