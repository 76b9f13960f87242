package inferscale.forecast;


/**
 * Seasonal naive baseline: a minute repeats the same minute one period earlier, or the latest
 * earlier period that has data there.
 */
final class SeasonalNaiveMethod implements PointMethod {
  private final Seasonality seasonality;

  SeasonalNaiveMethod(Seasonality seasonality) {
    if (seasonality == Seasonality.NONE) {
      throw new IllegalArgumentException("seasonal naive needs a period");
    }
    this.seasonality = seasonality;
  }

  @Override
  public int minHistoryMinutes() {
    return seasonality.periodMinutes();
  }

  @Override
  public Fitted fit(DemandHistory history, int[] origins) {
    int period = seasonality.periodMinutes();
    return Fitted.of(seasonality, origin -> minute -> {
      for (int past = minute - period; past >= 0; past -= period) {
        if (past < origin && !Double.isNaN(history.value(past))) {
          return history.value(past);
        }
      }
      return Double.NaN;
    });
  }
}
