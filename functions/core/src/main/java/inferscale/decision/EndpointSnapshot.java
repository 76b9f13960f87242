package inferscale.decision;

import java.time.Instant;
import java.util.Objects;

/**
 * What SageMaker says about one production variant of an endpoint.
 *
 * <p>Two counts, named alike everywhere (engine, simulator, AWS adapters): {@code desiredInstances}
 * is what has been asked for and is billed, instances still starting included; {@code
 * servingInstances} is what serves now (SageMaker's {@code CurrentInstanceCount}). The engine
 * scales from the desired count; the KV-cache and TTFT signals scale the serving count, whose
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
    int servingInstances,
    int desiredInstances,
    Instant lastModifiedTime,
    Instant lastScaleOutTime) {

  public static final String IN_SERVICE = "InService";
  public static final String UPDATING = "Updating";

  public EndpointSnapshot {
    Objects.requireNonNull(endpointName, "endpointName");
    Objects.requireNonNull(variantName, "variantName");
    Objects.requireNonNull(status, "status");
    if (servingInstances < 0 || desiredInstances < 0) {
      throw new IllegalArgumentException("instance counts cannot be negative");
    }
  }

  /** A snapshot without scale-out history: the cooldown counts from the last modification. */
  public EndpointSnapshot(String endpointName, String variantName, String instanceType,
      String status, int servingInstances, int desiredInstances, Instant lastModifiedTime) {
    this(endpointName, variantName, instanceType, status, servingInstances, desiredInstances,
        lastModifiedTime, null);
  }

  /** When the scale-in cooldown started: the last scale-out, or else the last change. */
  public Instant cooldownStart() {
    return lastScaleOutTime != null ? lastScaleOutTime : lastModifiedTime;
  }

  public boolean inService() {
    return IN_SERVICE.equals(status);
  }

  /** This snapshot with the time of the last scale-out, as read back from the scaler's record. */
  public EndpointSnapshot withLastScaleOutTime(Instant time) {
    return new EndpointSnapshot(endpointName, variantName, instanceType, status, servingInstances,
        desiredInstances, lastModifiedTime, time);
  }

  /** This snapshot deciding from another desired count: the one a minute started with. */
  public EndpointSnapshot withDesiredInstances(int desired) {
    return new EndpointSnapshot(endpointName, variantName, instanceType, status, servingInstances,
        desired, lastModifiedTime, lastScaleOutTime);
  }
}
