package inferscale.control;

import inferscale.decision.PolicyConfig;
import inferscale.decision.PolicyConfig.Fallback;

/**
 * The fallback variant's count and both variants' traffic weights for one cycle. While the scaled
 * (primary) variant cannot grow, the fallback grows to serve what the primary's serving instances
 * cannot, at its own per-instance rate; once the primary grows again, the fallback only shrinks,
 * as far as the primary's serving instances take over (never below its minimum). Weights follow
 * serving capacity (instances serving after the update × per-instance rate), so no traffic goes to
 * a variant with nothing serving; with nothing serving on either, the weights stay as they are.
 *
 * @param fallbackInstances the fallback's desired count
 * @param primaryWeight the primary's traffic weight
 * @param fallbackWeight the fallback's
 */
public record FallbackPlan(String variantName, int fallbackInstances, float primaryWeight,
    float fallbackWeight, boolean changes, String sentence) {

  /**
   * Traffic shares closer than this are the same: every update keeps the endpoint Updating for
   * minutes, blocking the next, so small shifts are not worth one.
   */
  static final double SHARE_STEP = 0.05;

  /**
   * @param wanted the primary count the endpoint needs ({@link inferscale.decision.Decision#need})
   * @param primaryTo the primary count this cycle asks for
   * @param primaryBlocked the primary cannot grow now (no capacity, backing off)
   */
  public static FallbackPlan plan(PolicyConfig policy, EndpointState state, int wanted,
      int primaryTo, boolean primaryBlocked) {
    Fallback fallback = policy.fallback();
    VariantState current = state.fallback();
    int primaryServing = state.snapshot().servingInstances();
    double primaryRate = policy.targets().rpsPerInstance();
    double fallbackRate = fallback.rpsPerInstance();
    // Requests per second the primary's serving instances cannot take, in fallback instances.
    int shortfall = (int) Math.ceil(Math.max(0, wanted - primaryServing) * primaryRate
        / fallbackRate - 1e-9);
    int target = primaryBlocked ? shortfall : Math.min(current.desiredInstances(), shortfall);
    int instances = Math.max(fallback.minInstances(), Math.min(fallback.maxInstances(), target));

    // What still serves after this update: instances it removes take no traffic.
    double primaryCapacity = Math.min(primaryServing, primaryTo) * primaryRate;
    double fallbackCapacity = Math.min(current.servingInstances(), instances) * fallbackRate;
    float primaryWeight = state.variantWeight();
    float fallbackWeight = current.weight();
    if (primaryCapacity + fallbackCapacity > 0) {
      primaryWeight = (float) (primaryCapacity / (primaryCapacity + fallbackCapacity));
      fallbackWeight = 1 - primaryWeight;
    }
    // SageMaker's weights are relative: compare the shares they give.
    double currentTotal = state.variantWeight() + current.weight();
    double currentShare = currentTotal <= 0 ? 1 : state.variantWeight() / currentTotal;
    boolean changes = instances != current.desiredInstances()
        || Math.abs(primaryWeight - currentShare) >= SHARE_STEP
        || takesTraffic(primaryWeight) != takesTraffic(currentShare)
        || takesTraffic(1 - primaryWeight) != takesTraffic(1 - currentShare);
    String sentence = "fallback " + fallback.variantName() + ": " + instances + " instances ("
        + (primaryBlocked ? "the primary cannot grow; " : "")
        + current.servingInstances() + " serving), "
        + Math.round(100 * fallbackWeight) + " % of traffic by serving capacity";
    return new FallbackPlan(fallback.variantName(), instances, primaryWeight, fallbackWeight,
        changes, sentence);
  }

  /** A variant starting or stopping to take traffic is always worth an update. */
  private static boolean takesTraffic(double share) {
    return share > 0;
  }
}
