package inferscale.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TargetTrackingPolicyTest {
  // mu 10, target 70 % → 7 requests per serving instance per minute.
  private static final double TARGET = 7;

  private static ScriptedView view(double[] perMinute, int servingEveryMinute, int current) {
    int[] ready = new int[perMinute.length];
    Arrays.fill(ready, servingEveryMinute);
    ScriptedView view = new ScriptedView(perMinute, ready);
    view.desired = current;
    view.minute = perMinute.length - 1;
    return view;
  }

  private static double[] minutes(int count, double value) {
    double[] values = new double[count];
    Arrays.fill(values, value);
    return values;
  }

  @Test
  void scalesOutAfterThreeDatapointsAboveTargetProportionallyToServingCapacity() {
    double[] demand = {28, 28, 40, 40};
    // Two datapoints above 4 × 7 = 28 (minutes 2, 3): no alarm yet.
    assertEquals(4, new TargetTrackingPolicy(TARGET, 1, 100).desired(view(demand, 4, 4)));
    double[] three = {28, 40, 40, 40};
    // Three above: ceil(4 × (40/4) / 7) = ceil(5.71) = 6.
    assertEquals(6, new TargetTrackingPolicy(TARGET, 1, 100).desired(view(three, 4, 4)));
  }

  @Test
  void proportionalStepUsesTheInstancesThatProducedTheMetric() {
    // 8 asked for, 4 still serving at 10 per instance: the need is ceil(40 / 7) = 6, below 8.
    assertEquals(8, new TargetTrackingPolicy(TARGET, 1, 100)
        .desired(view(minutes(4, 40), 4, 8)));
  }

  @Test
  void scaleOutCooldownIsFiveMinutes() {
    TargetTrackingPolicy policy = new TargetTrackingPolicy(TARGET, 1, 100);
    double[] demand = minutes(20, 80);
    int[] ready = new int[20];
    Arrays.fill(ready, 4);
    ScriptedView view = new ScriptedView(demand, ready);
    view.desired = 4;
    int[] decisions = new int[8];
    for (int t = 3; t < 11; t++) {
      view.minute = t;
      int wanted = policy.desired(view);
      decisions[t - 3] = wanted;
      view.desired = wanted;
      ready[t] = 4; // the new instances are still starting
      for (int m = t; m < 20; m++) {
        ready[m] = 4;
      }
      view.desired = wanted == 12 ? 4 : wanted; // pretend the request was lost to see re-firing
    }
    // Fires at minute 3, then not before minute 8.
    assertEquals(12, decisions[0]);
    assertEquals(4, decisions[1]);
    assertEquals(4, decisions[4]);
    assertEquals(12, decisions[5]);
  }

  @Test
  void scalesInOnlyAfterFifteenDatapointsBelowNinetyPercentOfTarget() {
    // 10 asked for and serving at 3 per instance (43 % of target): needs ceil(30 / 7) = 5.
    double[] fourteen = new double[15];
    Arrays.fill(fourteen, 30);
    fourteen[0] = 65; // 6.5 per instance: not below 90 % of 7 (6.3)
    assertEquals(10, new TargetTrackingPolicy(TARGET, 1, 100).desired(view(fourteen, 10, 10)));
    assertEquals(5, new TargetTrackingPolicy(TARGET, 1, 100)
        .desired(view(minutes(15, 30), 10, 10)));
    assertEquals(7, new TargetTrackingPolicy(TARGET, 7, 100)
        .desired(view(minutes(15, 30), 10, 10)));
  }

  @Test
  void aGapBreaksTheRunOfDatapoints() {
    double[] demand = {40, Double.NaN, 40, 40, 40};
    assertEquals(6, new TargetTrackingPolicy(TARGET, 1, 100).desired(view(demand, 4, 4)));
    double[] broken = {40, 40, Double.NaN, 40, 40};
    assertEquals(4, new TargetTrackingPolicy(TARGET, 1, 100).desired(view(broken, 4, 4)));
  }
}
