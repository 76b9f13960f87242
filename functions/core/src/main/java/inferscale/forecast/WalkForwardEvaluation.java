package inferscale.forecast;

import inferscale.trace.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walk-forward evaluation of forecasters on a trace. Every hour (every quarter hour on traces
 * scoring under four weeks) of the scored part each model
 * forecasts from the 28 days before that hour, and is scored by sMAPE at fixed horizons and by
 * how often demand stayed at or below its upper quantile. Gap minutes are not scored, and only
 * hours at which every model that can forecast at all did forecast are scored, so the models are
 * compared on the same minutes.
 */
public final class WalkForwardEvaluation {
  /** Horizons scored, in minutes after the origin: horizon 1 is the first minute forecast. */
  public static final List<Integer> HORIZONS = List.of(10, 30, 60);
  /**
   * Models re-fit at every origin, one per hour, or every {@value #SHORT_TRACE_REFIT_MINUTES}
   * minutes on traces that score less than {@value #SHORT_SCORED_DAYS} days: a week of hourly
   * origins scores only 168 minutes per horizon, too few to tell a calibrated p90 (coverage 0.9 ±
   * 0.023 by chance alone) from a miscalibrated one.
   */
  public static final int REFIT_MINUTES = 60;
  public static final int SHORT_TRACE_REFIT_MINUTES = 15;
  private static final int SHORT_SCORED_DAYS = 28;
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
   * @param upperCoverageByHorizon the same fraction at each horizon, NaN where none was scored
   * @param scoredOrigins origins scored; 0 when the model could not forecast anywhere in the trace
   * @param meanBlend for a model that blends candidate methods, per band of horizons (its last
   *     minute ahead) each candidate's weight averaged over the scored origins: how the blend
   *     chose; empty for a single method
   */
  public record ModelScore(String name, Map<Integer, Double> smapePercent, double upperCoverage,
      Map<Integer, Double> upperCoverageByHorizon, int scoredOrigins,
      Map<Integer, Map<String, Double>> meanBlend) {
    public ModelScore {
      smapePercent = Map.copyOf(smapePercent);
      upperCoverageByHorizon = Map.copyOf(upperCoverageByHorizon);
      meanBlend = Collections.unmodifiableMap(new LinkedHashMap<>(meanBlend));
    }
  }

  /** Whether the evaluation scored anything, and if not, why. */
  public enum Status {
    OK,
    /** No minute could be scored: the trace is too short, or its scored minutes are gaps. */
    INSUFFICIENT_HISTORY,
    /** Every minute scored has no requests: there is no demand to forecast. */
    NO_DEMAND
  }

  /**
   * @param status OK, or why nothing could be evaluated; {@code message} then says it in words
   * @param refitMinutes minutes between origins
   */
  public record Result(
      String trace,
      List<Integer> horizons,
      Status status,
      String message,
      int warmUpMinutes,
      int refitMinutes,
      List<ModelScore> models) {
    public Result {
      horizons = List.copyOf(horizons);
      models = List.copyOf(models);
    }
  }

  public static Result evaluate(Trace trace, List<Model> models) {
    int warmUp = trace.length() > LONG_TRACE_MINUTES ? LONG_TRACE_WARM_UP : DAY;
    int refit = trace.length() - warmUp < SHORT_SCORED_DAYS * DAY
        ? SHORT_TRACE_REFIT_MINUTES : REFIT_MINUTES;
    List<Integer> origins = new ArrayList<>();
    for (int origin = warmUp; origin < trace.length(); origin += refit) {
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
    // A model's coverage is NaN exactly when it scored no minute.
    if (scores.stream().allMatch(score -> Double.isNaN(score.upperCoverage()))) {
      return new Result(trace.name(), HORIZONS, Status.INSUFFICIENT_HISTORY,
          whyNothingScored(trace, warmUp), warmUp, refit, scores);
    }
    if (scored.stream().allMatch(o -> noDemandAfter(trace, origins.get(o)))) {
      return new Result(trace.name(), HORIZONS, Status.NO_DEMAND,
          "every minute scored has 0 requests: there is no demand to forecast", warmUp, refit,
          scores);
    }
    return new Result(trace.name(), HORIZONS, Status.OK, "", warmUp, refit, scores);
  }

  private static String whyNothingScored(Trace trace, int warmUp) {
    int needed = warmUp + HORIZONS.get(0);
    if (trace.length() < needed) {
      return String.format(
          "insufficient history: the trace spans %s, but a forecast needs %d minutes of history"
              + " and %d more to be scored against: %d minutes in all",
          minutes(trace.length()), warmUp, HORIZONS.get(0), needed);
    }
    return String.format(
        "insufficient history: after the %d-minute warm-up no model had a day of data to"
            + " forecast from, or the minutes to score against are gaps",
        warmUp);
  }

  private static String minutes(int count) {
    return count == 1 ? "1 minute" : count + " minutes";
  }

  /** Whether the minutes an origin is scored on, those with data, all have no requests. */
  private static boolean noDemandAfter(Trace trace, int origin) {
    return HORIZONS.stream().map(h -> origin + h - 1).filter(m -> scorable(trace, m))
        .allMatch(m -> trace.requests(m) == 0);
  }

  private static boolean scorable(Trace trace, int minute) {
    return minute < trace.length() && !trace.isGap(minute);
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
    Map<Integer, Double> coverageByHorizon = new LinkedHashMap<>();
    long covered = 0;
    long coverageCount = 0;
    for (int h : HORIZONS) {
      double sum = 0;
      int count = 0;
      int coveredHere = 0;
      for (int o : scored) {
        int minute = origins.get(o) + h - 1;
        if (!scorable(trace, minute)) {
          continue;
        }
        double actual = trace.requests(minute);
        double point = forecasts[o].point()[h - 1];
        sum += symmetricError(point, actual);
        count++;
        coveredHere += actual <= forecasts[o].upper()[h - 1] ? 1 : 0;
      }
      smape.put(h, count == 0 ? Double.NaN : 100 * sum / count);
      coverageByHorizon.put(h, count == 0 ? Double.NaN : coveredHere / (double) count);
      covered += coveredHere;
      coverageCount += count;
    }
    double coverage = coverageCount == 0 ? Double.NaN : covered / (double) coverageCount;
    return new ModelScore(name, smape, coverage, coverageByHorizon, scored.size(),
        meanBlend(forecasts, scored));
  }

  /** Each band's candidate weights averaged over the scored origins' forecasts. */
  private static Map<Integer, Map<String, Double>> meanBlend(
      Forecast[] forecasts, List<Integer> scored) {
    Map<Integer, Map<String, Double>> sums = new LinkedHashMap<>();
    for (int o : scored) {
      for (Blend blend : forecasts[o].blends()) {
        Map<String, Double> band = sums.computeIfAbsent(blend.throughMinute(),
            minute -> new LinkedHashMap<>());
        blend.weights().forEach((name, weight) ->
            band.merge(name, weight / scored.size(), Double::sum));
      }
    }
    return sums;
  }

  /** |F − A| / ((|F| + |A|) / 2), and 0 when both are 0. */
  private static double symmetricError(double forecast, double actual) {
    double denominator = Math.abs(forecast) + Math.abs(actual);
    return denominator == 0 ? 0 : 2 * Math.abs(forecast - actual) / denominator;
  }
}
