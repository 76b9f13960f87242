package inferscale.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import inferscale.decision.EndpointSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetTest {

  /** The cold-start model one instance at a time: the minute each instance starts serving. */
  private static final class PerInstanceFleet {
    private final List<Integer> readyAt = new ArrayList<>();
    private final int coldStart;
    private final int opening;

    PerInstanceFleet(int instances, int coldStart, int opening) {
      this.coldStart = coldStart;
      this.opening = opening;
      for (int i = 0; i < instances; i++) {
        readyAt.add(Fleet.NEVER);
      }
    }

    void resize(int desired, int minute) {
      while (readyAt.size() < desired) {
        readyAt.add(minute == opening ? Fleet.NEVER : minute + coldStart);
      }
      while (readyAt.size() > desired) {
        readyAt.remove(readyAt.size() - 1);
      }
    }

    int serving(int minute) {
      return (int) readyAt.stream().filter(ready -> ready <= minute).count();
    }
  }

  @Test
  void cohortsServeAsOneEntryPerInstanceWould() {
    qt().withExamples(300)
        .forAll(lists().of(integers().between(0, 40)).ofSizeBetween(1, 60),
            integers().between(0, 40), integers().between(0, 12))
        .checkAssert((counts, opening, coldStart) -> {
          Fleet fleet = new Fleet(opening, coldStart, 5);
          PerInstanceFleet reference = new PerInstanceFleet(opening, coldStart, 5);
          int scaleOuts = 0;
          for (int i = 0; i < counts.size(); i++) {
            int minute = 5 + i;
            scaleOuts += counts.get(i) > fleet.desired() ? 1 : 0;
            fleet.resize(counts.get(i), minute);
            reference.resize(counts.get(i), minute);
            assertEquals(counts.get(i), fleet.desired(), counts::toString);
            for (int ahead = 0; ahead <= coldStart + 1; ahead++) {
              assertEquals(reference.serving(minute + ahead), fleet.serving(minute + ahead),
                  () -> counts + " at " + minute);
            }
            assertTrue(fleet.cohorts() <= scaleOuts + 1, counts::toString);
          }
        });
  }

  @Test
  void aHugeScaleOutIsOneCohort() {
    // 600 million instances (a minute of the most requests a trace may hold, at 1 per instance)
    // cost one entry, not 2.4 GB of per-instance entries.
    Fleet fleet = new Fleet(3, 8, 0);
    fleet.resize(600_000_000, 10);
    assertEquals(2, fleet.cohorts());
    assertEquals(3, fleet.serving(17));
    assertEquals(600_000_000, fleet.serving(18));
    assertEquals(EndpointSnapshot.UPDATING, fleet.status(17));
    fleet.resize(2, 11);
    assertEquals(1, fleet.cohorts());
    assertEquals(2, fleet.serving(11));
    assertEquals(EndpointSnapshot.IN_SERVICE, fleet.status(11));
  }
}
