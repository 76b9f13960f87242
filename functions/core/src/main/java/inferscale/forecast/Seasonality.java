package inferscale.forecast;

/** The cycle a forecast repeats. */
public enum Seasonality {
  /** No cycle: a method without one, or no forecast at all. */
  NONE(0),
  DAILY(24 * 60),
  WEEKLY(7 * 24 * 60);

  private final int periodMinutes;

  Seasonality(int periodMinutes) {
    this.periodMinutes = periodMinutes;
  }

  /** Length of one cycle in minutes, 0 for {@link #NONE}. */
  public int periodMinutes() {
    return periodMinutes;
  }
}
