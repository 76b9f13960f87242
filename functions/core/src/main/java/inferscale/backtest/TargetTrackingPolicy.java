package inferscale.backtest;

import inferscale.decision.InstanceCount;

/**
 * An emulation of what SageMaker users have today: Application Auto Scaling target tracking on
 * {@code SageMakerVariantInvocationsPerInstance} with its defaults.
 *
 * <ul>
 *   <li>Metric: invocations per minute divided by the instances serving in that minute; the
 *       target is {@code targetUtilization × mu}.
 *   <li>The scale-out alarm fires after 3 consecutive 1-minute datapoints above target; the
 *       scale-in alarm after 15 consecutive datapoints below 90 % of target. A missing datapoint
 *       (a gap) breaks the run, as CloudWatch treats missing data as not breaching.
 *   <li>Either alarm sets capacity proportionally, {@code ceil(capacity × metric / target)}, from
 *       the newest datapoint and the capacity that produced it (the instances serving in that
 *       minute): scaling the desired count instead would double-count instances still starting.
 *   <li>Cooldowns of 300 s: no scale-out within 5 minutes of a scale-out; no scale-in within 5
 *       minutes of any scaling activity.
 * </ul>
 */
public final class TargetTrackingPolicy implements ScalingPolicy {
  static final int SCALE_OUT_DATAPOINTS = 3;
  static final int SCALE_IN_DATAPOINTS = 15;
  static final double SCALE_IN_THRESHOLD = 0.9;
  static final int COOLDOWN_MINUTES = 5;

  private final double targetPerInstance;
  private final int minInstances;
  private final int maxInstances;
  private int lastScaleOut = Integer.MIN_VALUE / 2;
  private int lastScaling = Integer.MIN_VALUE / 2;

  public TargetTrackingPolicy(double targetPerInstance, int minInstances, int maxInstances) {
    this.targetPerInstance = targetPerInstance;
    this.minInstances = minInstances;
    this.maxInstances = maxInstances;
  }

  @Override
  public String name() {
    return "target-tracking";
  }

  @Override
  public int desired(SimulationView view) {
    int t = view.minute();
    int current = view.desired();
    int newest = view.newestVisibleMinute();
    if (!view.hasData(newest)) {
      return current;
    }
    double metric = perInstance(view, newest);
    int serving = Math.max(1, view.serving(newest));
    int proportional = Math.max(minInstances,
        Math.min(maxInstances, InstanceCount.ceil(serving * metric / targetPerInstance)));
    if (proportional > current && t - lastScaleOut >= COOLDOWN_MINUTES
        && allDatapoints(view, newest, SCALE_OUT_DATAPOINTS, true)) {
      lastScaleOut = t;
      lastScaling = t;
      return proportional;
    }
    if (proportional < current && t - lastScaling >= COOLDOWN_MINUTES
        && allDatapoints(view, newest, SCALE_IN_DATAPOINTS, false)) {
      lastScaling = t;
      return proportional;
    }
    return current;
  }

  private boolean allDatapoints(SimulationView view, int newest, int count, boolean above) {
    for (int m = newest; m > newest - count; m--) {
      if (!view.hasData(m)) {
        return false;
      }
      double metric = perInstance(view, m);
      boolean breaching = above
          ? metric > targetPerInstance
          : metric < SCALE_IN_THRESHOLD * targetPerInstance;
      if (!breaching) {
        return false;
      }
    }
    return true;
  }

  private static double perInstance(SimulationView view, int m) {
    return view.demand(m) / Math.max(1, view.serving(m));
  }
}
