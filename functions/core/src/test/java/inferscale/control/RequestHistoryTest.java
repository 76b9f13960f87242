package inferscale.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestHistoryTest {
  private static final double NONE = Double.NaN;

  @Test
  void aMinuteIsSaturatedWhenOnePercentOfItsRequestsFailOrItsInstancesPlateauAtCapacity() {
    assertFalse(RequestHistory.saturated(1000, 9, 100, 360), "stray errors");
    assertTrue(RequestHistory.saturated(1000, 10, 100, 360), "1 % of the requests failed");
    assertTrue(RequestHistory.saturated(1000, NONE, 360, 360), "each instance at capacity");
    assertTrue(RequestHistory.saturated(1000, NONE, 355, 360), "the plateau, within 2 %");
    assertFalse(RequestHistory.saturated(1000, NONE, 350, 360));
    assertFalse(RequestHistory.saturated(1000, NONE, 400, 360),
        "well above the capacity the count shows the requests beyond it were counted");
    assertTrue(RequestHistory.saturated(5, NONE, Double.POSITIVE_INFINITY, 360),
        "requests and no instance serving");
    assertFalse(RequestHistory.saturated(1000, NONE, 1e9, NONE),
        "without the policy's capacity only errors tell");
    assertFalse(RequestHistory.saturated(NONE, 3, NONE, 360), "no requests published");
  }
}
