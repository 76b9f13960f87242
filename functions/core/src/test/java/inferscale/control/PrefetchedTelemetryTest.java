package inferscale.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.decision.PolicyConfig;
import inferscale.decision.SignalPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrefetchedTelemetryTest {
  private static final Instant MINUTE = Instant.parse("2026-11-30T12:00:00Z");

  /** Counts the reads that reach it, and answers each with one point per series. */
  private static final class Live implements Telemetry {
    final List<Set<Series>> reads = new ArrayList<>();

    @Override
    public Readings read(Set<Series> series, Instant from, Instant to) {
      reads.add(series);
      Map<Series, List<SignalPoint>> points = new EnumMap<>(Series.class);
      series.forEach(s -> points.put(s, List.of(new SignalPoint(from, -1))));
      return new Readings(points);
    }

    @Override
    public RequestHistory requestHistory(Instant end, int minutes) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<SignalPoint> startupMinutes(String instanceType, Instant from, Instant to) {
      return List.of();
    }

    @Override
    public String forecastChannel() {
      return "live";
    }
  }

  @Test
  void theCyclesFirstReadIsAnsweredFromWhatWasReadAheadOnceAndEveryOtherGoesLive() {
    ScalerStep.ReadPlan plan = ScalerStep.mainRead(PolicyConfig.defaults(), MINUTE.plusSeconds(7));
    assertTrue(plan.from().isBefore(MINUTE) && plan.to().isAfter(MINUTE), plan.toString());
    Map<Series, List<SignalPoint>> ahead = new EnumMap<>(Series.class);
    ahead.put(Series.REQUESTS, List.of(new SignalPoint(MINUTE.minusSeconds(60), 600)));
    Live live = new Live();
    PrefetchedTelemetry telemetry = new PrefetchedTelemetry(live, plan, new Readings(ahead));

    Readings first = telemetry.read(plan.series(), plan.from(), plan.to());

    assertTrue(live.reads.isEmpty());
    assertEquals(600, first.series().get(Series.REQUESTS).get(0).value());
    assertTrue(first.series().get(Series.SCALE_OUTS).isEmpty(), "read, and none there");
    telemetry.read(plan.series(), plan.from(), plan.to());
    assertEquals(1, live.reads.size(), "read ahead once, answered once");
  }

  @Test
  void aReadForAnotherMinuteOrOtherSeriesGoesLive() {
    ScalerStep.ReadPlan plan = ScalerStep.mainRead(PolicyConfig.defaults(), MINUTE);
    Live live = new Live();
    PrefetchedTelemetry telemetry = new PrefetchedTelemetry(live, plan,
        new Readings(new EnumMap<>(Series.class)));

    telemetry.read(plan.series(), plan.from().plusSeconds(60), plan.to().plusSeconds(60));
    telemetry.read(EnumSet.of(Series.REQUESTS_PER_INSTANCE), plan.from(), plan.to());

    assertEquals(2, live.reads.size(), "both read live");
  }
}
