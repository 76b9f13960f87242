package inferscale.backtest;

/**
 * A policy whose asks are known in advance: what an endpoint's scaling actually did, or what a
 * shadow deployment asked for, scored with the same cold start, billing and unserved accounting
 * as every simulated policy.
 */
public final class ScriptedPolicy implements ScalingPolicy {
  private final String name;
  private final int[] asks;

  private ScriptedPolicy(String name, int[] asks) {
    this.name = name;
    this.asks = asks;
  }

  /**
   * Asks for {@code asks[t]} instances at minute t; an unknown ask ({@code NaN}, a cycle that did
   * not run or record) keeps the previous one, and the first known one stands for those before it.
   */
  public static ScriptedPolicy asking(String name, double[] asks) {
    return new ScriptedPolicy(name, RecordedMinutes.held(asks));
  }

  /**
   * The asks that make the simulated fleet serve what the endpoint was seen serving: an instance
   * serving at t was asked for a cold start earlier (and billed from then), and an instance that
   * stopped serving was removed at once. So the ask at t is the most instances seen serving
   * within [t, t + cold start]. Unknown minutes hold the count seen last.
   *
   * @param serving instances seen serving each minute, {@code NaN} where unknown
   */
  public static ScriptedPolicy observed(String name, double[] serving, int coldStartMinutes) {
    int[] seen = RecordedMinutes.held(serving);
    int[] asks = new int[seen.length];
    // O(minutes × cold start): a few hundred thousand steps for 15 days.
    for (int t = 0; t < seen.length; t++) {
      int most = seen[t];
      for (int k = 1; k <= coldStartMinutes && t + k < seen.length; k++) {
        most = Math.max(most, seen[t + k]);
      }
      asks[t] = most;
    }
    return new ScriptedPolicy(name, asks);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int desired(SimulationView view) {
    return asks[view.minute()];
  }
}
