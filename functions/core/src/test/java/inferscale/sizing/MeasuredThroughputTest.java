package inferscale.sizing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeasuredThroughputTest {
  /** 8, 16, 32 and 64 in flight on one ml.g6e.xlarge copy. */
  private static final List<BenchmarkPoint> LEVELS = BenchmarkFiles.parse("levels.csv",
      BenchmarkFilesTest.sample("levels.csv"), null, null);

  private static Workload slo(double ttftMs, double itlMs) {
    return new Workload(1024, 256, ttftMs, itlMs);
  }

  @Test
  void theRateIsInterpolatedWhereTheBindingLatencyReachesTheSlo() {
    // At 32: TTFT 610, ITL 38; at 64: 2600, 61. ITL reaches 50 at 12/23 of the way, TTFT later.
    SloThroughput within = MeasuredThroughput.withinSlo(LEVELS, slo(2000, 50));

    double share = 12.0 / 23;
    assertEquals(4.6 + share * 1.5, within.rpsPerCopy(), 1e-9);
    assertEquals(32 + share * 32, within.concurrency(), 1e-9);
    assertEquals(50, within.itlMs(), 1e-9);
    assertEquals(SloThroughput.MEASURED, within.basis());
    assertEquals("ITL reaches the SLO between measured concurrency 32 and 64", within.note());
  }

  @Test
  void theOrderOfTheLevelsDoesNotMatter() {
    List<BenchmarkPoint> shuffled = new ArrayList<>(LEVELS);
    Collections.reverse(shuffled);
    assertEquals(MeasuredThroughput.withinSlo(LEVELS, slo(1000, 100)),
        MeasuredThroughput.withinSlo(shuffled, slo(1000, 100)));
  }

  @Test
  void neverBeyondTheHighestLevelMeasured() {
    SloThroughput within = MeasuredThroughput.withinSlo(LEVELS, slo(10_000, 1000));

    assertEquals(6.1, within.rpsPerCopy());
    assertEquals("the highest measured concurrency, 64, meets the SLO: not extrapolated beyond it",
        within.note());
  }

  @Test
  void noLevelWithinTheSloServesNothingAndSaysWhy() {
    SloThroughput within = MeasuredThroughput.withinSlo(LEVELS, slo(200, 100));

    assertEquals(0, within.rpsPerCopy());
    assertEquals("no measured concurrency meets the SLO: at 8, TTFT 260 ms, ITL 21.0 ms",
        within.note());
  }

  @Test
  void aRateThatFallsPastTheLastLevelMetIsNotInterpolatedBelowIt() {
    List<BenchmarkPoint> falling = List.of(
        new BenchmarkPoint("ml.g5.xlarge", 1, 8, 4, 500, "p95", 40, "a"),
        new BenchmarkPoint("ml.g5.xlarge", 1, 16, 3, 3000, "p95", 90, "b"));
    assertEquals(4, MeasuredThroughput.withinSlo(falling, slo(2000, 100)).rpsPerCopy());
  }

  @Test
  void twoResultsForTheSameLevelAreRefusedNamingBoth() {
    List<BenchmarkPoint> twice = List.of(
        new BenchmarkPoint("ml.g5.xlarge", 1, 8, 4, 500, "p95", 40, "a.json"),
        new BenchmarkPoint("ml.g5.xlarge", 1, 8, 3, 600, "p95", 45, "b.json"));
    assertEquals("benchmark two results for ml.g5.xlarge at TP 1 and concurrency 8: a.json and"
        + " b.json; keep one", org.junit.jupiter.api.Assertions.assertThrows(
            InvalidSizingInputException.class, () -> new Serving(slo(2000, 100), twice, null))
        .getMessage());
  }

  @Test
  void aLevelWithFailedRequestsMissesTheSlo() {
    List<BenchmarkPoint> failing = List.of(
        new BenchmarkPoint("ml.g5.xlarge", 1, 8, 4, 500, "p95", 40, "a", null, null, 0),
        new BenchmarkPoint("ml.g5.xlarge", 1, 16, 7, 600, "p95", 45, "b", null, null, 0.02));
    SloThroughput within = MeasuredThroughput.withinSlo(failing, slo(2000, 100));
    assertEquals(4, within.rpsPerCopy(), "not 7: a fiftieth of the 16's requests failed");
  }

  @Test
  void aMedianTtftIsFlagged() {
    List<BenchmarkPoint> medians = BenchmarkFiles.parse("m.csv", new java.io.StringReader(
        BenchmarkFiles.CSV_HEADER + "\nml.p5.48xlarge,8,64,40,150,,12\n"), null, null);
    assertEquals("the highest measured concurrency, 64, meets the SLO: not extrapolated beyond it"
        + " (TTFT at p50)", MeasuredThroughput.withinSlo(medians, slo(2000, 100)).note());
  }
}
