package inferscale.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import inferscale.backtest.Frontier.Point;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrontierTest {

  @Test
  void onlyPointsNoOtherBeatsOnBothCostAndUnservedMakeTheFrontier() {
    Point cheap = new Point(0.9, 1.4, 4.0, 0);
    Point dominated = new Point(0.8, 1.6, 5.0, 0);
    Point safe = new Point(0.4, 2.8, 0.1, 0);
    Point middle = new Point(0.6, 2.0, 0.4, 0);
    assertEquals(List.of(safe, middle, cheap),
        Frontier.efficient(List.of(cheap, dominated, middle, safe)));
  }

  @Test
  void costIsInterpolatedLinearlyInCostAndLogarithmicallyInUnserved() {
    List<Point> frontier = List.of(new Point(0.5, 2.0, 0.1, 0), new Point(0.7, 1.5, 10, 0));
    // 1 % lies halfway between 0.1 % and 10 % on a log scale.
    assertEquals(1.75, Frontier.costAt(1.0, frontier), 1e-12);
    assertEquals(2.0, Frontier.costAt(0.1, frontier), 1e-12);
    assertNull(Frontier.costAt(0.05, frontier), "not extrapolated below");
    assertNull(Frontier.costAt(20, frontier), "nor above");
  }

  @Test
  void theSavingIsWhatInferScaleCostsLessAtTheSameUnservedDemand() {
    Frontier.Saving saving = Frontier.saving(new Point(0.7, 2.0, 1.0, 0),
        List.of(new Point(0.5, 2.0, 0.1, 0), new Point(0.7, 1.5, 10, 0)),
        List.of(new Point(1.0, 1.8, 0.1, 0), new Point(0.2, 1.2, 10, 0)),
        List.of(new Point(0.1, 1.9, 0.1, 0), new Point(5.0, 1.0, 10, 0)), 1.2);
    assertEquals(1.75, saving.inferscaleCostRatio(), 1e-12);
    assertEquals(12.5, saving.savingPercent(), 1e-12);
    assertEquals(1.5, saving.forecastLedCostRatio(), 1e-12);
    assertEquals(25, saving.forecastLedSavingPercent(), 1e-12);
    assertEquals(1.45, saving.budgetCostRatio(), 1e-12);
    assertEquals(27.5, saving.budgetSavingPercent(), 1e-12);
    assertEquals(40, saving.floorSavingPercent(), 1e-12);
    Frontier.Saving outside = Frontier.saving(new Point(0.9, 1.2, 30, 0),
        List.of(new Point(0.7, 1.5, 10, 0)), List.of(), List.of(), 1.0);
    assertNull(outside.inferscaleCostRatio());
    assertNull(outside.savingPercent());
    assertNull(outside.forecastLedSavingPercent());
    assertNull(outside.forecastLedCostRatio());
    assertNull(outside.budgetSavingPercent());
  }

  @Test
  void eachWayToLeadIsJudgedOnItsOwnFrontier() {
    // The forecast-led frontier starts above target tracking's 1 %: no saving there, whatever the
    // target-led one says.
    Frontier.Saving onlyTargetLed = Frontier.saving(new Point(0.7, 2.0, 1.0, 0),
        List.of(new Point(0.5, 2.0, 0.1, 0), new Point(0.7, 1.5, 10, 0)),
        List.of(new Point(0.2, 1.2, 5, 0)), List.of(), 1.2);
    assertEquals(12.5, onlyTargetLed.savingPercent(), 1e-12);
    assertNull(onlyTargetLed.forecastLedSavingPercent());
  }

  @Test
  void zeroUnservedSitsAtTheLogScalesFloor() {
    List<Point> frontier = List.of(new Point(0.4, 3.0, 0, 0), new Point(0.7, 1.5, 1, 0));
    assertEquals(3.0, Frontier.costAt(0, frontier), 1e-12);
  }
}
