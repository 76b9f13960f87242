package inferscale.forecast;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The standard forecaster, the candidates it blends, and the naive baselines it is scored
 * against. Each adds an upper quantile estimated from its own replayed errors (see {@link
 * BandedForecaster}).
 */
public final class Forecasters {
  private Forecasters() {}

  /**
   * The standard method: the candidates below blended per band of horizons by their replayed
   * errors (see {@link BlendedMethod}): the seasonal profile (the default until there is
   * evidence), Holt-Winters, the last value, the means of the last 10 and 60 minutes and a damped
   * trend. Needs one day of history.
   */
  public static Forecaster blended(ForecasterConfig config) {
    return new BandedForecaster(new BlendedMethod(candidates(config)), config);
  }

  /**
   * Each candidate of the standard forecaster on its own, with its own band, by name in the order
   * the blend tries them: what {@code forecast-eval --candidates} scores beside the blend.
   */
  public static Map<String, Forecaster> candidateForecasters(ForecasterConfig config) {
    Map<String, Forecaster> forecasters = new LinkedHashMap<>();
    for (BlendedMethod.Candidate candidate : candidates(config)) {
      forecasters.put(candidate.name(), new BandedForecaster(candidate.method(), config));
    }
    return forecasters;
  }

  private static List<BlendedMethod.Candidate> candidates(ForecasterConfig config) {
    return List.of(
        new BlendedMethod.Candidate("seasonal-profile", new SeasonalProfileMethod(config)),
        new BlendedMethod.Candidate("holt-winters", new HoltWintersMethod()),
        new BlendedMethod.Candidate("last-value", new LastValueMethod()),
        new BlendedMethod.Candidate("mean-10m", new RecentMeanMethod(10)),
        new BlendedMethod.Candidate("mean-60m", new RecentMeanMethod(60)),
        new BlendedMethod.Candidate("damped-trend", new DampedTrendMethod()));
  }

  /** Each minute repeats the same minute one period earlier; needs one period of history. */
  public static Forecaster seasonalNaive(Seasonality seasonality, ForecasterConfig config) {
    return new BandedForecaster(new SeasonalNaiveMethod(seasonality), config);
  }

  /** Every minute repeats the latest known minute. */
  public static Forecaster lastValue(ForecasterConfig config) {
    return new BandedForecaster(new LastValueMethod(), config);
  }
}
