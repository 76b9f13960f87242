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
  /**
   * Instances asked for together, as cohorts: the minute each cohort starts serving, ascending
   * (the newest requests are at the end), and the instances in it and all older cohorts. One
   * entry per scale-out, however many instances it asks for, so memory follows the scaling
   * events and not the fleet's size.
   */
  private int[] readyAtMinute = new int[16];
  private int[] instancesUpTo = new int[16];
  private int cohorts;
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
    int size = desired();
    if (desired == size) {
      return false;
    }
    if (desired > size) {
      add(desired - size, minute == openingMinute ? NEVER : minute + coldStartMinutes);
    } else {
      removeNewest(size - Math.max(0, desired));
    }
    lastChange = minute;
    return true;
  }

  /** Instances asked for (serving and starting): what is billed. */
  public int desired() {
    return cohorts == 0 ? 0 : instancesUpTo[cohorts - 1];
  }

  /** Instances serving at the start of {@code minute}. */
  public int serving(int minute) {
    int low = 0;
    int high = cohorts;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (readyAtMinute[mid] <= minute) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low == 0 ? 0 : instancesUpTo[low - 1];
  }

  /**
   * The endpoint's status at the start of {@code minute}, as SageMaker reports it: {@code
   * Updating} until every instance asked for serves.
   */
  public String status(int minute) {
    return serving(minute) < desired() ? EndpointSnapshot.UPDATING : EndpointSnapshot.IN_SERVICE;
  }

  /** The minute the desired count last changed, or {@link #NEVER}. */
  int lastChangeMinute() {
    return lastChange;
  }

  /** Cohorts held: at most one per scale-out still (partly) standing, plus the opening fleet. */
  int cohorts() {
    return cohorts;
  }

  private void add(int count, int readyAt) {
    if (count <= 0) {
      return;
    }
    int total = desired() + count;
    if (cohorts > 0 && readyAtMinute[cohorts - 1] == readyAt) {
      instancesUpTo[cohorts - 1] = total;
      return;
    }
    if (cohorts == readyAtMinute.length) {
      readyAtMinute = Arrays.copyOf(readyAtMinute, 2 * cohorts);
      instancesUpTo = Arrays.copyOf(instancesUpTo, 2 * cohorts);
    }
    readyAtMinute[cohorts] = readyAt;
    instancesUpTo[cohorts] = total;
    cohorts++;
  }

  /** Removal takes the newest (still starting) instances first. */
  private void removeNewest(int count) {
    int remaining = desired() - count;
    while (cohorts > 0 && (cohorts == 1 ? 0 : instancesUpTo[cohorts - 2]) >= remaining) {
      cohorts--;
    }
    if (cohorts > 0) {
      instancesUpTo[cohorts - 1] = remaining;
    }
  }
}
