package inferscale.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Invariants of the engine over random endpoints, policies and signal histories. */
class DecisionEnginePropertiesTest {
  private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
  private static final List<String> STATUSES = List.of("InService", "InService", "InService",
      "Updating", "Creating", "SystemUpdating", "RollingBack", "Failed", "Deleting", "OutOfService");
  private final DecisionEngine engine = new DecisionEngine();

  /** A signal history: possibly empty, possibly stale, with gaps and spikes. */
  private static Gen<SignalSeries> series(double maxValue) {
    return in -> {
      int length = integers().between(0, 16).generate(in);
      int age = integers().between(0, 9).generate(in);
      List<SignalPoint> points = new ArrayList<>();
      for (int i = 0; i < length; i++) {
        if (integers().between(0, 9).generate(in) == 0) {
          continue; // a missing minute
        }
        Instant at = NOW.minus(Duration.ofMinutes(age + length - 1L - i));
        points.add(new SignalPoint(at, doubles().between(0, maxValue).generate(in)));
      }
      return new SignalSeries(points);
    };
  }

  private static final Gen<DecisionInput> INPUTS = in -> {
    int min = integers().between(0, 10).generate(in);
    int max = integers().between(Math.max(1, min), 60).generate(in);
    int current = integers().between(min, max).generate(in);
    double targetRps = doubles().between(0.1, 20).generate(in);
    PolicyConfig policy = Scenario.ALL_SIGNALS.withBounds(min, max)
        .withTargetRpsPerInstance(targetRps);
    Map<Signal, SignalSeries> signals = new EnumMap<>(Signal.class);
    signals.put(Signal.RPS, series(targetRps * max * 3).generate(in));
    signals.put(Signal.KV_CACHE, series(1).generate(in));
    signals.put(Signal.QUEUE, series(3.0 * max).generate(in));
    String status = Generate.pick(STATUSES).generate(in);
    int changedAgo = integers().between(0, 120).generate(in);
    EndpointSnapshot endpoint = new EndpointSnapshot("ep", "AllTraffic", "ml.g5.xlarge", status,
        current, current, NOW.minus(Duration.ofMinutes(changedAgo)));
    int predictive = integers().between(-1, 70).generate(in);
    int scheduled = integers().between(-1, 70).generate(in);
    int headroom = integers().between(-1, 30).generate(in);
    return new DecisionInput(endpoint, new Signals(signals), policy,
        predictive < 0 ? null : new PredictiveFloor(predictive, predictive * targetRps, NOW, 10,
            null, PredictiveFloor.Basis.UPPER_QUANTILE, targetRps),
        scheduled < 0 ? null : new ScheduledFloor(scheduled, "test"),
        Headroom.reserved(headroom < 0 ? null : headroom), NOW);
  };

  @Test
  void desiredStaysWithinMinAndMaxUnlessCapacityIsShort() {
    qt().withExamples(2000).forAll(INPUTS).checkAssert(input -> {
      Decision d = engine.decide(input);
      PolicyConfig p = input.policy();
      assertTrue(d.to() <= p.bounds().maxInstances(), d::toString);
      if (!d.has(ReasonCode.CAPACITY_LIMITED)) {
        assertTrue(d.to() >= p.bounds().minInstances(), d::toString);
      } else {
        assertEquals(d.from() + input.capacityHeadroom().more(), d.to(), d::toString);
      }
    });
  }

  @Test
  void aScaleOutBeyondOneStepIsPanicOrAScheduleAskedForWhole() {
    qt().withExamples(2000).forAll(INPUTS).checkAssert(input -> {
      Decision d = engine.decide(input);
      if (d.to() > d.from() + input.policy().scaleOut().stepFrom(d.from())
          && !d.has(ReasonCode.PANIC_MODE)) {
        assertTrue(input.scheduledFloor() != null
            && d.to() <= input.scheduledFloor().instances(), d::toString);
      }
    });
  }

  @Test
  void neverBelowCurrentWhenAnySignalIsStaleOrMissing() {
    qt().withExamples(2000).forAll(INPUTS).checkAssert(input -> {
      Decision d = engine.decide(input);
      boolean doubtful = d.signals().stream().anyMatch(r -> r.freshness() != Freshness.FRESH);
      if (doubtful) {
        assertTrue(d.to() >= d.from(), d::toString);
      }
    });
  }

  @Test
  void neverAChangeWhenTheEndpointIsNotInService() {
    qt().withExamples(1000).forAll(INPUTS).checkAssert(input -> {
      Decision d = engine.decide(input);
      if (!input.endpoint().inService()) {
        assertEquals(Action.HOLD, d.action());
        assertEquals(d.from(), d.to());
        assertTrue(d.has(ReasonCode.ENDPOINT_NOT_IN_SERVICE));
      }
    });
  }

  @Test
  void moreRequestsNeverMeanFewerInstances() {
    qt().withExamples(2000)
        .forAll(INPUTS, doubles().between(1, 5), doubles().between(0, 3))
        .checkAssert((input, factor, extra) -> {
          SignalSeries rps = input.signals().get(Signal.RPS);
          List<SignalPoint> busier = new ArrayList<>();
          for (SignalPoint p : rps.points()) {
            busier.add(new SignalPoint(p.timestamp(), p.value() * factor + extra));
          }
          DecisionInput more = new DecisionInput(input.endpoint(),
              input.signals().with(Signal.RPS, new SignalSeries(busier)), input.policy(),
              input.predictiveFloor(), input.scheduledFloor(), input.capacityHeadroom(),
              input.now());
          int base = engine.decide(input).to();
          int busy = engine.decide(more).to();
          assertTrue(busy >= base, () -> base + " instances for " + rps + " but " + busy
              + " for " + busier);
        });
  }

  @Test
  void theSameInputGivesTheSameDecision() {
    qt().withExamples(500).forAll(INPUTS).checkAssert(input -> {
      Decision first = new DecisionEngine().decide(input);
      Decision second = new DecisionEngine().decide(input);
      assertEquals(first, second);
      assertEquals(first.toJson(), second.toJson());
    });
  }

  @Test
  void everyHoldAndEveryChangeCarriesAReasonAndASentence() {
    qt().withExamples(1000).forAll(INPUTS).checkAssert(input -> {
      Decision d = engine.decide(input);
      assertTrue(d.bindingConstraint() != null, d::toString);
      assertTrue(!d.explanation().isBlank() && d.explanation().endsWith("."), d::explanation);
      if (d.changes()) {
        assertTrue(!d.reasons().isEmpty(), d::toString);
      }
    });
  }

  @Test
  void theReasonsTheBindingAndTheCountAreThoseOfTheTrail() {
    qt().withExamples(1000).forAll(INPUTS).checkAssert(input -> {
      Decision d = engine.decide(input);
      List<ReasonCode> codes = new ArrayList<>();
      TrailEntry binding = null;
      for (TrailEntry entry : d.trail()) {
        if (!codes.contains(entry.reason())) {
          codes.add(entry.reason());
        }
        if (entry.count() != null) {
          binding = entry;
        }
      }
      assertEquals(codes, d.reasons(), d::toString);
      assertTrue(binding != null, d::toString);
      assertEquals(binding.count().intValue(), d.to(), d::toString);
      assertEquals(binding.reason(), d.bindingConstraint(), d::toString);
      assertEquals(binding.signal(), d.bindingSignal(), d::toString);
      String name = input.endpoint().endpointName() + "/" + input.endpoint().variantName();
      assertTrue(d.explanation().startsWith(switch (d.action()) {
        case SCALE_OUT -> "Scale out " + name + " from " + d.from() + " to " + d.to();
        case SCALE_IN -> "Scale in " + name + " from " + d.from() + " to " + d.to();
        case HOLD -> "Hold " + name + " at " + d.to();
      }), d::explanation);
    });
  }
}
