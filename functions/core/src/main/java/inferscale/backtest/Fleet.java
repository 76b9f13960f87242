package inferscale.backtest;

import inferscale.decision.EndpointSnapshot;
import java.util.Arrays;

/**
 * The simulated endpoint's instances: the one cold-start model of the backtest, and of anything
 * that must behave like it (the replay of the deployed functions). An instance asked for at minute
 * t serves from t + cold start and is billed from t; removal is immediate, the newest (still
 * starting) instances first. The endpoint exists before the opening minute and has served that
 * minute's demand: whatever is asked for at the opening minute is granted already warm.
 */
public final class Fleet {
  /** A minute long before any trace, for events that never happened. */
  static final int NEVER = Integer.MIN_VALUE / 2;

  private final int coldStartMinutes;
  private final int openingMinute;
  /** Minute each instance starts serving, ascending: the newest requests are at the end. */
  private int[] readyAtMinute = new int[64];
  private int size;
  private int lastChange = NEVER;

  public Fleet(int openingInstances, int coldStartMinutes, int openingMinute) {
    this.coldStartMinutes = coldStartMinutes;
    this.openingMinute = openingMinute;
    add(openingInstances, NEVER);
  }

  /**
   * Asks for {@code desired} instances at {@code minute}.
   *
   * @return true when the count changed
   */
  public boolean resize(int desired, int minute) {
    if (desired == size) {
      return false;
    }
    if (desired > size) {
      add(desired - size, minute == openingMinute ? NEVER : minute + coldStartMinutes);
    } else {
      size = Math.max(0, desired);
    }
    lastChange = minute;
    return true;
  }

  /** Instances asked for (serving and starting): what is billed. */
  public int desired() {
    return size;
  }

  /** Instances serving at the start of {@code minute}. */
  public int serving(int minute) {
    int low = 0;
    int high = size;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (readyAtMinute[mid] <= minute) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /**
   * The endpoint's status at the start of {@code minute}, as SageMaker reports it: {@code
   * Updating} until every instance asked for serves.
   */
  public String status(int minute) {
    return serving(minute) < size ? EndpointSnapshot.UPDATING : EndpointSnapshot.IN_SERVICE;
  }

  /** The minute the desired count last changed, or {@link #NEVER}. */
  int lastChangeMinute() {
    return lastChange;
  }

  private void add(int count, int readyAt) {
    if (size + count > readyAtMinute.length) {
      readyAtMinute = Arrays.copyOf(readyAtMinute, Math.max(size + count, 2 * readyAtMinute.length));
    }
    Arrays.fill(readyAtMinute, size, size + count, readyAt);
    size += count;
  }
}
