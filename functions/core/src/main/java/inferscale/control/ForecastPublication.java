package inferscale.control;

import inferscale.units.RequestRate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One forecast as published: per minute from {@code firstMinute}, the upper quantile and the
 * expected rate.
 */
public record ForecastPublication(Instant firstMinute, List<RequestRate> upper,
    List<RequestRate> expected) {
  public ForecastPublication {
    upper = List.copyOf(upper);
    expected = List.copyOf(expected);
    if (upper.size() != expected.size()) {
      throw new IllegalArgumentException("upper and expected must cover the same minutes");
    }
    for (RequestRate rate : upper) {
      publishable(rate);
    }
    for (RequestRate rate : expected) {
      publishable(rate);
    }
  }

  /** CloudWatch refuses a whole request over one non-finite value: none may get this far. */
  private static void publishable(RequestRate rate) {
    if (!Double.isFinite(rate.perSecond()) || rate.perSecond() < 0) {
      throw new IllegalArgumentException("a published rate is finite and not negative, got "
          + rate.perSecond());
    }
  }

  public int minutes() {
    return upper.size();
  }

  /** The minute of entry {@code index}. */
  public Instant minute(int index) {
    return firstMinute.plus(Duration.ofMinutes(index));
  }
}
