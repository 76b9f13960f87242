package inferscale.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnservedBudgetTest {
  private static final Instant NOW = Instant.parse("2026-11-08T00:00:00Z");
  /** 2 requests a second at the target, 3 (180 a minute) what one instance serves. */
  private static final PolicyConfig POLICY = PolicyConfig.defaults()
      .withTargetRpsPerInstance(2.0).withMaxRpsPerInstance(3.0)
      .withBudget(new PolicyConfig.Budget(0.5, 0.3, 0.95, 0.0, 3.0));
  private static final int DAY = 1440;

  /**
   * The {@code minutes} minutes before NOW, 1,000 requests each, at 100 per instance except the
   * {@code hot} newest ones, at 200 per instance.
   */
  private static List<List<SignalPoint>> window(int minutes, int hot) {
    List<SignalPoint> requests = new ArrayList<>();
    List<SignalPoint> perInstance = new ArrayList<>();
    for (int m = minutes; m > 0; m--) {
      Instant at = NOW.minusSeconds(60L * m);
      requests.add(new SignalPoint(at, 1000));
      perInstance.add(new SignalPoint(at, m <= hot ? 200 : 100));
    }
    return List.of(requests, perInstance);
  }

  /** The share of a minute at 200 per instance that 180 leaves unserved, percent. */
  private static final double HOT_PERCENT = 100 * (1 - 180.0 / 200);

  private static UnservedBudget.State next(Double previous, int hot, int elapsed) {
    List<List<SignalPoint>> w = window(DAY, hot);
    return UnservedBudget.next(POLICY, previous, elapsed,
        UnservedBudget.week(POLICY, w.get(0), w.get(1), NOW));
  }

  @Test
  void theBurnIsTheShareOfRequestsBeyondWhatServingInstancesTakeOverTheWeekAndTheDay() {
    // A week of minutes; the newest 10 (in the last day) at 200 per instance against 180.
    List<List<SignalPoint>> w = window(7 * DAY, 10);
    UnservedBudget.Week week = UnservedBudget.week(POLICY, w.get(0), w.get(1), NOW);
    assertEquals(HOT_PERCENT * 10 / (7 * DAY), week.burnPercent(), 1e-12);
    assertEquals(7 * DAY, week.minutes());
    // The same read tallies the week's last day: the rate it burns at now.
    assertEquals(HOT_PERCENT * 10 / DAY, week.dayBurnPercent(), 1e-12);
    assertEquals(DAY, week.dayMinutes());
    // Minutes older than a week are not the budget's.
    List<List<SignalPoint>> longer = window(8 * DAY, 10);
    assertEquals(week, UnservedBudget.week(POLICY, longer.get(0), longer.get(1), NOW));

    UnservedBudget.State state = UnservedBudget.next(POLICY, 0.6, 1, week);
    assertEquals(HOT_PERCENT * 10 / DAY, state.burnPercent(), 1e-12);
    assertEquals(DAY, state.minutes());
    assertEquals(week.burnPercent(), state.weekBurnPercent());
    // The week's over-capacity requests against its budget in requests: 10 × 100 of 0.5 % × 10,080,000.
    assertEquals(100 * 10 * 100.0 / (0.005 * 7 * DAY * 1000), state.weekSpentPercent(), 1e-9);
    assertEquals(0.6, state.previousUtilization());
    assertTrue(state.sentence().contains("2 % of the week's 0.50 % budget spent in the last 7 days"
        + " (0.010 % of its requests met no capacity; 0.069 % in the last day)"),
        state.sentence());
  }

  @Test
  void aWeekNotYetObservedIsSpentInItsShare() {
    // Two days with the endpoint, all hot: 10 % burnt in 2/7 of a week, twenty times the budget.
    List<List<SignalPoint>> w = window(2 * DAY, 2 * DAY);
    UnservedBudget.Week week = UnservedBudget.week(POLICY, w.get(0), w.get(1), NOW);
    UnservedBudget.State state = UnservedBudget.next(POLICY, 0.6, 1, week);
    assertEquals(100 * HOT_PERCENT / 0.5 * 2 / 7, state.weekSpentPercent(), 1e-9);
    assertTrue(state.sentence().contains("571 % of the week's 0.50 % budget spent in 29 % of the"
        + " week observed"), state.sentence());
  }

  @Test
  void idleMinutesAfterTheFirstRequestCountAsObserved() {
    // Office hours: requests 08:00-10:00 only, for eight days up to NOW (midnight), all hot.
    List<SignalPoint> requests = new ArrayList<>();
    List<SignalPoint> perInstance = new ArrayList<>();
    for (int day = 8; day >= 1; day--) {
      for (int m = 8 * 60; m < 10 * 60; m++) {
        Instant at = NOW.minus(Duration.ofDays(day)).plus(Duration.ofMinutes(m));
        requests.add(new SignalPoint(at, 1000));
        perInstance.add(new SignalPoint(at, 200));
      }
    }
    UnservedBudget.Week week = UnservedBudget.week(POLICY, requests, perInstance, NOW);
    // The week's first request is at 08:00 on its first day: all but 8 hours of it observed,
    // though only 14 of its hours had requests, which SageMaker publishes alone.
    assertEquals(7 * DAY - 8 * 60, week.minutes());
    UnservedBudget.State state = UnservedBudget.next(POLICY, 0.6, 1, week);
    assertEquals(100 * HOT_PERCENT / 0.5 * (7 * DAY - 8 * 60) / (7 * DAY),
        state.weekSpentPercent(), 1e-9);
    assertTrue(state.sentence().contains("1905 % of the week's 0.50 % budget spent in 95 % of"
        + " the week observed"), state.sentence());
  }

  /** The hourly factor at twice the budget (or none of it spent). */
  private static final double RATE = 1 + UnservedBudget.CHANGE_PER_HOUR_PERCENT / 100;

  @Test
  void spendingTooFastLowersTheTargetSlowlyAndTooSlowlyRaisesIt() {
    UnservedBudget.State under = next(0.6, 0, 60);
    // Nothing spent, three doublings below (at least): an hour raises it by the rate, thrice.
    assertEquals(0.6 * Math.pow(RATE, 3), under.utilization(), 1e-12);
    int half = (int) Math.round(DAY * 0.25 / HOT_PERCENT); // 0.25 %: half the budget
    assertEquals(0.6 * RATE, next(0.6, half, 60).utilization(), 1e-12);
    int twice = (int) Math.round(DAY * 1.0 / HOT_PERCENT); // 1 %: twice the budget
    UnservedBudget.State over = next(0.6, twice, 60);
    assertEquals(1.0, over.burnPercent(), 1e-12);
    assertEquals(0.6 / RATE, over.utilization(), 1e-12);
    UnservedBudget.State minute = next(0.6, twice, 1);
    assertEquals(0.6 / Math.pow(RATE, 1 / 60.0), minute.utilization(), 1e-12, "per minute");
  }

  @Test
  void theWeekAndTheDayCountAlike() {
    // A quiet day in a week that burnt twice the budget: the mean of 0 and 1 % is the budget.
    UnservedBudget.Week spent = new UnservedBudget.Week(1.0, 7 * DAY, 0.0, DAY, NOW);
    UnservedBudget.State state = UnservedBudget.next(POLICY, 0.6, 60, spent);
    assertEquals(0.6, state.utilization(), 1e-12);
  }

  @Test
  void aBurstDayMovesItAtMostThreeDoublingsWorth() {
    UnservedBudget.State state = next(0.6, DAY, 60); // 10 %: twenty times the budget
    assertEquals(0.6 / Math.pow(RATE, 3), state.utilization(), 1e-12);
  }

  @Test
  void atABoundItSaysWhichAndWhy() {
    UnservedBudget.State low = next(0.3, DAY, 60);
    assertEquals(0.3, low.utilization());
    assertEquals("minUtilization", low.bound());
    assertTrue(low.sentence().endsWith("held at budget.minUtilization 0.30, which leaves more"
        + " unserved than the budget"), low.sentence());
    UnservedBudget.State high = next(0.95, 0, 60);
    assertEquals("maxUtilization", high.bound());
    assertTrue(high.sentence().endsWith("held at budget.maxUtilization 0.95, where this traffic"
        + " leaves less unserved than the budget"), high.sentence());
    assertNull(next(0.6, 0, 60).bound());
  }

  @Test
  void itStartsFromThePolicysOwnTargetAndHoldsOnTooFewMinutes() {
    List<List<SignalPoint>> few = window(59, 59);
    UnservedBudget.State state = UnservedBudget.next(POLICY, null, 1,
        UnservedBudget.week(POLICY, few.get(0), few.get(1), NOW));
    assertEquals(2.0 / 3.0, state.utilization(), 1e-12, "targets.rpsPerInstance / max");
    assertNull(state.burnPercent());
    assertTrue(state.sentence().contains("held: 59 minutes"), state.sentence());
  }

  @Test
  void theWeekIsTalliedAgainAnHourOn() {
    UnservedBudget.Week week = new UnservedBudget.Week(0.2, 7 * DAY, 0.3, DAY, NOW);
    assertFalse(week.stale(NOW.plus(Duration.ofMinutes(59))));
    assertTrue(week.stale(NOW.plus(UnservedBudget.RETALLY)));
  }

  @Test
  void theTargetStaysWithinThePolicysBoundsWhateverTheBurn() {
    qt().withExamples(300)
        .forAll(doubles().between(0.01, 1.0), integers().between(0, DAY),
            integers().between(0, 60))
        .checkAssert((previous, hot, elapsed) -> {
          UnservedBudget.State state = next(previous, hot, elapsed);
          assertTrue(state.utilization() >= 0.3 && state.utilization() <= 0.95,
              state.toString());
          // Never faster than the largest step: the rate to the excess cap, over the time elapsed.
          double bound = Math.pow(RATE, 3.0 * elapsed / 60) + 1e-12;
          double clamped = Math.max(0.3, Math.min(0.95, previous));
          assertTrue(state.utilization() / clamped <= bound
              && clamped / state.utilization() <= bound, state.toString());
        });
  }

  /** The same budget moving a floor band from 0.65, within [0.2, 2]. */
  private static final PolicyConfig BAND = POLICY.withFloorBand(0.65)
      .withBudget(new PolicyConfig.Budget(0.5, 0.3, 0.95, 0.2, 2.0));

  private static UnservedBudget.State nextBand(Double previous, int hot, int elapsed) {
    List<List<SignalPoint>> w = window(DAY, hot);
    return UnservedBudget.next(BAND, previous, elapsed,
        UnservedBudget.week(BAND, w.get(0), w.get(1), NOW));
  }

  @Test
  void withAFloorBandSpendingTooFastWidensTheBandAndTooSlowlyNarrowsIt() {
    double step = UnservedBudget.BAND_CHANGE_PER_HOUR;
    int twice = (int) Math.round(DAY * 1.0 / HOT_PERCENT);
    UnservedBudget.State over = nextBand(0.65, twice, 60);
    assertEquals(0.65 + step, over.floorBand(), 1e-12);
    assertEquals(0.65, over.previousFloorBand());
    // The target is the policy's own: the budget moves the band instead.
    assertEquals(2.0 / 3.0, over.utilization(), 1e-12);
    assertEquals(2.0 / 3.0, over.previousUtilization(), 1e-12);
    assertTrue(over.sentence().startsWith("floor band 0.654 (up from 0.650): "), over.sentence());
    assertEquals(0.65 - 3 * step, nextBand(0.65, 0, 60).floorBand(), 1e-12);
    assertEquals(0.65 + step / 60, nextBand(0.65, twice, 1).floorBand(), 1e-12, "per minute");
    // Without a recorded band, it starts from the policy's.
    assertEquals(0.65, nextBand(null, twice, 1).previousFloorBand());
    // Without a band, the fields stay empty.
    assertNull(next(0.6, twice, 60).floorBand());
  }

  @Test
  void withAFloorBandItsBoundsAreTheBudgetsBandBounds() {
    UnservedBudget.State wide = nextBand(2.0, DAY, 60);
    assertEquals(2.0, wide.floorBand());
    assertEquals("maxFloorBand", wide.bound());
    assertTrue(wide.sentence().endsWith("held at budget.maxFloorBand 2.00, which leaves more"
        + " unserved than the budget"), wide.sentence());
    UnservedBudget.State narrow = nextBand(0.2, 0, 60);
    assertEquals("minFloorBand", narrow.bound());
    assertTrue(narrow.sentence().endsWith("held at budget.minFloorBand 0.20, where this traffic"
        + " leaves less unserved than the budget"), narrow.sentence());
    qt().withExamples(300)
        .forAll(doubles().between(0, 3.0), integers().between(0, DAY), integers().between(0, 60))
        .checkAssert((previous, hot, elapsed) -> {
          UnservedBudget.State state = nextBand(previous, hot, elapsed);
          assertTrue(state.floorBand() >= 0.2 && state.floorBand() <= 2.0, state.toString());
          double clamped = Math.max(0.2, Math.min(2.0, previous));
          assertTrue(Math.abs(state.floorBand() - clamped)
              <= 3 * UnservedBudget.BAND_CHANGE_PER_HOUR * elapsed / 60 + 1e-12,
              state.toString());
        });
  }

  @Test
  void itsJsonSaysWhyInOneSentenceLast() {
    UnservedBudget.State state = nextBand(2.0, DAY, 60);
    JsonNode json = Json.mapper().valueToTree(state);
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("budgetPercent", "weekBurnPercent", "weekSpentPercent", "weekMinutes",
        "weekMeasuredAt", "burnPercent", "minutes", "previousUtilization", "utilization",
        "previousFloorBand", "floorBand", "bound", "sentence"), fields);
    assertEquals(state.sentence(), json.get("sentence").asText());
    assertTrue(state.sentence().startsWith("floor band 2.000 (unchanged): "), state.sentence());
  }

  @Test
  void aBandsBoundsAreChecked() {
    assertEquals(List.of(), BAND.problems(), "a band with a budget");
    assertEquals(List.of("budget.minFloorBand must be in [0, 3.0], got -0.1",
        "budget.maxFloorBand must be in [0, 3.0], got 4.0"),
        BAND.withBudget(new PolicyConfig.Budget(0.5, 0.3, 0.95, -0.1, 4.0)).problems());
    assertEquals(List.of("budget.maxFloorBand (0.5) must be ≥ budget.minFloorBand (1.0)"),
        BAND.withBudget(new PolicyConfig.Budget(0.5, 0.3, 0.95, 1.0, 0.5)).problems());
  }

  @Test
  void aBudgetNeedsWhatOneInstanceServes() {
    PolicyConfig withoutCapacity = PolicyConfig.defaults()
        .withBudget(new PolicyConfig.Budget(0.5, 0.3, 0.95, 0.0, 3.0));
    assertTrue(withoutCapacity.problems().stream()
        .anyMatch(p -> p.startsWith("budget.unservedPercent needs targets.maxRpsPerInstance")));
    PolicyConfig inverted = POLICY.withBudget(new PolicyConfig.Budget(0.5, 0.9, 0.5, 0.0, 3.0));
    assertEquals(List.of("budget.maxUtilization (0.5) must be ≥ budget.minUtilization (0.9)"),
        inverted.problems());
  }
}
