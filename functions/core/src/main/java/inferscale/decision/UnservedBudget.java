package inferscale.decision;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import inferscale.units.RequestRate;
import java.util.List;
import java.util.Locale;

/**
 * Holds an unserved-demand budget by moving the scaler's own target utilisation, slowly. Each
 * cycle it measures the burn: the share of the last day's requests beyond what the serving
 * instances take ({@code targets.maxRpsPerInstance} each), from the requests and the requests per
 * serving instance SageMaker publishes. Burning faster than the budget lowers the target (more
 * headroom); slower raises it, in proportion to how far the burn is from the budget
 * ({@value #CHANGE_PER_HOUR_PERCENT} % an hour at twice the budget), between the policy's bounds.
 * That is integral control: over days the burn settles on the budget, whatever the traffic. The
 * target utilisation it set last is its only state, which the scaler publishes and reads back, so
 * a cold function carries on where the last cycle left off.
 */
public final class UnservedBudget {
  /**
   * How far the target moves in an hour when the burn is twice the budget, or none of it is
   * spent: days, not minutes, to adapt (at 1 % an hour it chased each day's bursts, and held the
   * budget at more cost).
   */
  static final double CHANGE_PER_HOUR_PERCENT = 0.3;

  /** Fewer minutes with requests than this in the window: too little to judge, hold. */
  static final int MIN_MINUTES = 60;

  /** A burn above (1 + this) times the budget moves the target no faster. */
  static final double MAX_EXCESS = 3;

  private UnservedBudget() {}

  /**
   * What the controller measured and set this cycle.
   *
   * @param budgetPercent the policy's budget
   * @param burnPercent requests beyond capacity over the window, as a share of its requests, or
   *     null when the window had too few minutes to judge
   * @param minutes minutes with requests in the window
   * @param previousUtilization the target utilisation the last cycle set (or the policy's own)
   * @param utilization the target utilisation set now: targets.rpsPerInstance becomes this times
   *     targets.maxRpsPerInstance
   */
  @JsonPropertyOrder({"budgetPercent", "burnPercent", "minutes", "previousUtilization",
      "utilization", "sentence"})
  public record State(double budgetPercent, Double burnPercent, int minutes,
      double previousUtilization, double utilization, String sentence) {}

  /**
   * @param previous the utilisation the last cycle set, or null when none was recorded
   * @param requests requests per minute over the window (Invocations, Sum), oldest first
   * @param perInstance requests per serving instance (InvocationsPerInstance), oldest first
   * @param elapsedMinutes minutes since the previous cycle's state (1 on the minute schedule)
   */
  public static State next(PolicyConfig policy, Double previous, List<SignalPoint> requests,
      List<SignalPoint> perInstance, int elapsedMinutes) {
    PolicyConfig.Budget budget = policy.budget();
    double capacity = RequestRate.ofPerSecond(policy.targets().maxRpsPerInstance()).perMinute();
    double own = policy.targets().rpsPerInstance() / policy.targets().maxRpsPerInstance();
    double before = clamp(previous != null ? previous : own, budget);
    double total = 0;
    double over = 0;
    int minutes = 0;
    // Both oldest first: walk them together, minute by minute.
    int count = perInstance.size();
    int j = 0;
    for (SignalPoint point : requests) {
      while (j < count && perInstance.get(j).timestamp().isBefore(point.timestamp())) {
        j++;
      }
      if (j == count) {
        break;
      }
      SignalPoint each = perInstance.get(j);
      if (!each.timestamp().equals(point.timestamp()) || !(point.value() > 0)
          || !(each.value() > 0)) {
        continue;
      }
      // Each serving instance takes up to capacity; what came beyond that met none.
      total += point.value();
      over += point.value() * Math.max(0, 1 - capacity / each.value());
      minutes++;
    }
    double target = budget.unservedPercent();
    if (minutes < MIN_MINUTES) {
      return new State(target, null, minutes, before, before, String.format(Locale.ROOT,
          "target utilisation %.2f held: %d minutes with requests in the last day, fewer than"
              + " the %d the %.2f %% budget is judged on", before, minutes, MIN_MINUTES, target));
    }
    double burn = 100 * over / total;
    // Proportional to the excess over the budget, so that what balances out over days is the
    // mean burn, which rare large bursts dominate; capped so a burst day moves it only so far.
    double excess = Math.max(-1, Math.min(MAX_EXCESS, (burn - target) / target));
    double step = excess * Math.log1p(CHANGE_PER_HOUR_PERCENT / 100) * elapsedMinutes / 60;
    double after = clamp(before * Math.exp(-step), budget);
    return new State(target, burn, minutes, before, after, String.format(Locale.ROOT,
        "target utilisation %.3f (was %.3f): %.3f %% of the last day's requests met no capacity"
            + " against a %.2f %% budget", after, before, burn, target));
  }

  private static double clamp(double utilization, PolicyConfig.Budget budget) {
    return Math.max(budget.minUtilization(), Math.min(budget.maxUtilization(), utilization));
  }
}
