package inferscale.decision;

import java.time.Instant;
import java.util.Objects;

/**
 * What SageMaker says about one production variant of an endpoint.
 *
 * <p>The engine scales from {@code desiredInstanceCount}, the count already asked for; the
 * KV-cache and TTFT signals scale {@code currentInstanceCount}, the instances in service whose
 * measurements they are. On an endpoint that is InService the two are equal.
 *
 * @param status the endpoint's status as SageMaker spells it ({@code InService}, {@code Updating}…)
 * @param lastModifiedTime when the endpoint last changed
 * @param lastScaleOutTime when InferScale last scaled this variant out, if known; the scale-in
 *     cooldown counts from it, or from {@code lastModifiedTime} when it is not known
 */
public record EndpointSnapshot(
    String endpointName,
    String variantName,
    String instanceType,
    String status,
    int currentInstanceCount,
    int desiredInstanceCount,
    Instant lastModifiedTime,
    Instant lastScaleOutTime) {

  public static final String IN_SERVICE = "InService";

  /** A snapshot without scale-out history: the cooldown counts from the last modification. */
  public EndpointSnapshot(String endpointName, String variantName, String instanceType,
      String status, int currentInstanceCount, int desiredInstanceCount,
      Instant lastModifiedTime) {
    this(endpointName, variantName, instanceType, status, currentInstanceCount,
        desiredInstanceCount, lastModifiedTime, null);
  }

  /** When the scale-in cooldown started: the last scale-out, or else the last change. */
  public Instant cooldownStart() {
    return lastScaleOutTime != null ? lastScaleOutTime : lastModifiedTime;
  }

  public EndpointSnapshot {
    Objects.requireNonNull(endpointName, "endpointName");
    Objects.requireNonNull(variantName, "variantName");
    Objects.requireNonNull(status, "status");
    if (currentInstanceCount < 0 || desiredInstanceCount < 0) {
      throw new IllegalArgumentException("instance counts cannot be negative");
    }
  }

  public boolean inService() {
    return IN_SERVICE.equals(status);
  }
}
