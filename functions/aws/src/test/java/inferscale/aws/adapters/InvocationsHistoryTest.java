package inferscale.aws.adapters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import inferscale.decision.SignalPoint;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure merge of per-minute and 5-minute data: no emulator. */
class InvocationsHistoryTest {
  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

  private static SignalPoint at(int minute, double value) {
    return new SignalPoint(START.plusSeconds(60L * minute), value);
  }

  @Test
  void perMinuteDataWinsAndFiveMinuteSumsFillOnlyBucketsWithoutAny() {
    double[] history = InvocationsHistory.merge(
        List.of(at(5, 7), at(6, 8)),
        List.of(at(0, 50), at(5, 500), at(10, 100)),
        START, 12);
    double n = Double.NaN;
    assertArrayEquals(new double[] {10, 10, 10, 10, 10, 7, 8, n, n, n, 20, 20}, history);
  }

  @Test
  void pointsOutsideTheWindowOrOffTheMinuteAreIgnored() {
    double[] history = InvocationsHistory.merge(
        List.of(at(-1, 1), at(3, 2), new SignalPoint(START.plusSeconds(90), 9), at(4, 3)),
        List.of(at(-5, 500), at(-2, 5)),
        START, 4);
    double n = Double.NaN;
    assertArrayEquals(new double[] {n, n, n, 2}, history);
  }
}
