package inferscale.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestHistoryTest {
  @Test
  void aMinuteIsSaturatedWhenOnePercentOfItsRequestsFail() {
    assertFalse(RequestHistory.saturated(1000, 9), "stray errors");
    assertTrue(RequestHistory.saturated(1000, 10), "1 % of the requests failed");
    assertFalse(RequestHistory.saturated(1000, Double.NaN), "no errors published");
    assertFalse(RequestHistory.saturated(Double.NaN, 3), "no requests published");
  }
}
