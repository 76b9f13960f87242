package inferscale.forecast;

import inferscale.trace.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walk-forward evaluation of forecasters on a trace. Every hour of the scored part each model
 * forecasts from the 28 days before that hour, and is scored by sMAPE at fixed horizons and by
 * how often demand stayed at or below its upper quantile. Gap minutes are not scored, and only
 * hours at which every model that can forecast at all did forecast are scored, so the models are
 * compared on the same minutes.
 */
public final class WalkForwardEvaluation {
  /** Horizons scored, in minutes after the origin: horizon 1 is the first minute forecast. */
  public static final List<Integer> HORIZONS = List.of(10, 30, 60);
  /** Models re-fit at every origin, one per hour. */
  public static final int REFIT_MINUTES = 60;
  private static final int DAY = Seasonality.DAILY.periodMinutes();
  /** Traces longer than this keep their first week as warm-up, as a deployed forecaster would. */
  private static final int LONG_TRACE_MINUTES = 21 * DAY / 2;
  private static final int LONG_TRACE_WARM_UP = 7 * DAY;

  private WalkForwardEvaluation() {}

  /** A forecaster under evaluation and the name it is reported under. */
  public record Model(String name, Forecaster forecaster) {}

  /**
   * @param smapePercent sMAPE in percent (0–200) by horizon, NaN when not scored
   * @param upperCoverage fraction of scored actuals at or below the upper quantile, NaN when none
   * @param scoredOrigins hours scored; 0 when the model could not forecast anywhere in the trace
   */
  public record ModelScore(
      String name, Map<Integer, Double> smapePercent, double upperCoverage, int scoredOrigins) {
    public ModelScore {
      smapePercent = Map.copyOf(smapePercent);
    }
  }

  /**
   * @param status OK, or {@link ForecastStatus#FORECAST_INSUFFICIENT_HISTORY} when no hour of the
   *     trace could be scored; {@code message} then says why
   */
  public record Result(
      String trace,
      List<Integer> horizons,
      ForecastStatus status,
      String message,
      int warmUpMinutes,
      List<ModelScore> models) {
    public Result {
      horizons = List.copyOf(horizons);
      models = List.copyOf(models);
    }
  }

  public static Result evaluate(Trace trace, List<Model> models) {
    int warmUp = trace.length() > LONG_TRACE_MINUTES ? LONG_TRACE_WARM_UP : DAY;
    List<Integer> origins = new ArrayList<>();
    for (int origin = warmUp; origin < trace.length(); origin += REFIT_MINUTES) {
      origins.add(origin);
    }
    Forecast[][] forecasts = forecastAll(trace, models, origins);
    boolean[] forecastsSomewhere = new boolean[models.size()];
    for (int m = 0; m < models.size(); m++) {
      forecastsSomewhere[m] = Arrays.stream(forecasts[m]).anyMatch(Forecast::isOk);
    }
    List<Integer> scored = commonOrigins(forecasts, forecastsSomewhere, origins.size());
    List<ModelScore> scores = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      List<Integer> modelOrigins = forecastsSomewhere[m] ? scored : List.of();
      scores.add(score(models.get(m).name(), forecasts[m], origins, modelOrigins, trace));
    }
    if (scores.stream().allMatch(score -> score.scoredOrigins() == 0)) {
      String message =
          String.format(
              "insufficient history: the trace spans %d minutes, but a forecast needs %d minutes"
                  + " of history before the first scored hour, so nothing could be scored",
              trace.length(), warmUp);
      return new Result(
          trace.name(), HORIZONS, ForecastStatus.FORECAST_INSUFFICIENT_HISTORY, message, warmUp, scores);
    }
    return new Result(trace.name(), HORIZONS, ForecastStatus.OK, "", warmUp, scores);
  }

  /** forecasts[model][origin index], each from the 28 days before its origin. */
  private static Forecast[][] forecastAll(Trace trace, List<Model> models, List<Integer> origins) {
    int horizon = HORIZONS.get(HORIZONS.size() - 1);
    double[] requests = trace.requestsArray();
    Forecast[][] forecasts = new Forecast[models.size()][origins.size()];
    for (int o = 0; o < origins.size(); o++) {
      int origin = origins.get(o);
      double[] history =
          Arrays.copyOfRange(requests, Math.max(0, origin - Forecaster.MAX_HISTORY_MINUTES), origin);
      for (int m = 0; m < models.size(); m++) {
        forecasts[m][o] = models.get(m).forecaster().forecast(history, horizon);
      }
    }
    return forecasts;
  }

  /** Indexes of the origins at which every model that forecasts somewhere did forecast. */
  private static List<Integer> commonOrigins(
      Forecast[][] forecasts, boolean[] forecastsSomewhere, int originCount) {
    List<Integer> common = new ArrayList<>();
    for (int o = 0; o < originCount; o++) {
      boolean all = true;
      for (int m = 0; m < forecasts.length; m++) {
        all &= !forecastsSomewhere[m] || forecasts[m][o].isOk();
      }
      if (all) {
        common.add(o);
      }
    }
    return common;
  }

  private static ModelScore score(
      String name, Forecast[] forecasts, List<Integer> origins, List<Integer> scored, Trace trace) {
    Map<Integer, Double> smape = new LinkedHashMap<>();
    long covered = 0;
    long coverageCount = 0;
    for (int h : HORIZONS) {
      double sum = 0;
      int count = 0;
      for (int o : scored) {
        int minute = origins.get(o) + h - 1;
        if (minute >= trace.length() || trace.isGap(minute)) {
          continue;
        }
        double actual = trace.requests(minute);
        double point = forecasts[o].point()[h - 1];
        sum += symmetricError(point, actual);
        count++;
        covered += actual <= forecasts[o].upper()[h - 1] ? 1 : 0;
        coverageCount++;
      }
      smape.put(h, count == 0 ? Double.NaN : 100 * sum / count);
    }
    double coverage = coverageCount == 0 ? Double.NaN : covered / (double) coverageCount;
    return new ModelScore(name, smape, coverage, scored.size());
  }

  /** |F − A| / ((|F| + |A|) / 2), and 0 when both are 0. */
  private static double symmetricError(double forecast, double actual) {
    double denominator = Math.abs(forecast) + Math.abs(actual);
    return denominator == 0 ? 0 : 2 * Math.abs(forecast - actual) / denominator;
  }
}
