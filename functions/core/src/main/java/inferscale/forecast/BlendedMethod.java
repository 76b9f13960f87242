package inferscale.forecast;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Combines candidate methods per band of horizons by how well each forecast this series when
 * replayed: a series without a usable cycle falls back to the level methods, one with a strong
 * cycle keeps the profile, and the choice is made again at every fit, so a series whose character
 * changes changes methods. In each band the candidates' forecasts replayed from the past origins
 * are scored by the requests they missed by, recent origins counting more (busy minutes, where
 * capacity is at stake, weigh most; judged on their symmetric error instead, the blend leaned
 * towards forecasts that overshoot thin, overdispersed traffic, and its floor cost 13 % more
 * there); the band then uses whichever of the best candidate alone and the inverse-error blend
 * of the best few replayed better. Before there is any evidence (a day of history, nothing
 * replayed yet) the first candidate alone is used.
 */
final class BlendedMethod implements PointMethod {
  /** Upper ends of the horizon bands, in minutes ahead. */
  static final int[] BAND_ENDS = {15, 60, 120, Integer.MAX_VALUE};
  /** Horizons at which replayed forecasts are scored, per band. */
  private static final int[][] EVIDENCE_HORIZONS = {
    {1, 3, 5, 10, 15}, {20, 30, 45, 60}, {75, 90, 105, 120}, {180, 240, 360, 480, 720, 1080, 1440}
  };
  /**
   * A replayed origin this many minutes older than the newest counts half as much: after a
   * change of regime the methods that suit the new one take over within a day or two.
   */
  private static final double RECENCY_HALF_LIFE_MINUTES = 2 * 24 * 60;
  /** How many of the best candidates a band's blend averages. */
  private static final int BLENDED = 3;

  /** A candidate method and the name forecasts and audits show it under. */
  record Candidate(String name, PointMethod method) {}

  private final List<Candidate> candidates;

  BlendedMethod(List<Candidate> candidates) {
    this.candidates = List.copyOf(candidates);
  }

  @Override
  public int minHistoryMinutes() {
    int most = 0;
    for (Candidate candidate : candidates) {
      most = Math.max(most, candidate.method().minHistoryMinutes());
    }
    return most;
  }

  @Override
  public BlendedFit fit(DemandHistory history, int[] origins) {
    int n = candidates.size();
    Fitted[] fitted = new Fitted[n];
    for (int c = 0; c < n; c++) {
      fitted[c] = candidates.get(c).method().fit(history, origins);
    }
    double[][][] predictions = replay(history, origins, fitted);
    double[][] weights = new double[BAND_ENDS.length][];
    int[][] rankings = new int[BAND_ENDS.length][];
    List<Blend> blends = new ArrayList<>();
    for (int b = 0; b < BAND_ENDS.length; b++) {
      double[] errors = errors(history, origins, predictions, n, b, null);
      rankings[b] = ranking(errors);
      int best = rankings[b][0];
      double[] blend = inverseErrorWeights(errors, rankings[b]);
      double blendError = errors(history, origins, predictions, n, b, blend)[0];
      boolean useBlend = blendError < errors[best];
      weights[b] = useBlend ? blend : oneHot(best, n);
      Map<String, Double> named = new LinkedHashMap<>();
      Map<String, Double> evidence = new LinkedHashMap<>();
      for (int c = 0; c < n; c++) {
        named.put(candidates.get(c).name(), weights[b][c]);
        evidence.put(candidates.get(c).name(), errors[c]);
      }
      blends.add(new Blend(BAND_ENDS[b], named, evidence));
    }
    return new BlendedFit(fitted, weights, rankings, blends);
  }

  /**
   * Candidates from the smallest error to the largest, those without evidence last, ties in
   * order: without evidence the first candidate, the default, ranks first.
   */
  private static int[] ranking(double[] errors) {
    return IntStream.range(0, errors.length).boxed()
        .sorted(Comparator.comparingDouble(c -> Double.isNaN(errors[c])
            ? Double.POSITIVE_INFINITY : errors[c]))
        .mapToInt(Integer::intValue).toArray();
  }

  /**
   * predictions[k][c][e]: candidate c's forecast from origins[k] of the e-th evidence minute
   * (bands' evidence horizons in order), NaN where the minute is not yet known or the candidate
   * has nothing to go on.
   */
  private double[][][] replay(DemandHistory history, int[] origins, Fitted[] fitted) {
    int evidence = 0;
    for (int[] horizons : EVIDENCE_HORIZONS) {
      evidence += horizons.length;
    }
    double[][][] predictions = new double[Math.max(0, origins.length - 1)][fitted.length][evidence];
    for (int k = 0; k < origins.length - 1; k++) {
      for (int c = 0; c < fitted.length; c++) {
        IntToDoubleFunction forecast = fitted[c].from(origins[k]);
        int e = 0;
        for (int[] horizons : EVIDENCE_HORIZONS) {
          for (int h : horizons) {
            int minute = origins[k] + h - 1;
            predictions[k][c][e++] =
                minute < history.length() ? forecast.applyAsDouble(minute) : Double.NaN;
          }
        }
      }
    }
    return predictions;
  }

  /**
   * Recency-weighted mean absolute error in band b of each candidate, or with {@code blend}
   * given, of that blend alone (one value). Minutes some candidate cannot forecast are skipped
   * for all, so every option is judged on the same minutes.
   */
  private static double[] errors(DemandHistory history, int[] origins, double[][][] predictions,
      int candidates, int band, double[] blend) {
    int first = 0;
    for (int b = 0; b < band; b++) {
      first += EVIDENCE_HORIZONS[b].length;
    }
    double[] sums = new double[blend == null ? candidates : 1];
    double weightSum = 0;
    int now = origins[origins.length - 1];
    for (int k = 0; k < predictions.length; k++) {
      double recency = BandedForecaster.recency(now - origins[k], RECENCY_HALF_LIFE_MINUTES);
      for (int i = 0; i < EVIDENCE_HORIZONS[band].length; i++) {
        int e = first + i;
        int minute = origins[k] + EVIDENCE_HORIZONS[band][i] - 1;
        double actual = minute < history.length() ? history.value(minute) : Double.NaN;
        if (Double.isNaN(actual) || !allKnown(predictions[k], e)) {
          continue;
        }
        if (blend == null) {
          for (int c = 0; c < candidates; c++) {
            sums[c] += recency * absoluteError(predictions[k][c][e], actual);
          }
        } else {
          double combined = 0;
          for (int c = 0; c < candidates; c++) {
            combined += blend[c] * predictions[k][c][e];
          }
          sums[0] += recency * absoluteError(combined, actual);
        }
        weightSum += recency;
      }
    }
    for (int i = 0; i < sums.length; i++) {
      sums[i] = weightSum == 0 ? Double.NaN : sums[i] / weightSum;
    }
    return sums;
  }

  private static boolean allKnown(double[][] predictions, int e) {
    for (double[] candidate : predictions) {
      if (Double.isNaN(candidate[e])) {
        return false;
      }
    }
    return true;
  }

  /** Requests the forecast missed by, the forecast cut at zero as demand is never negative. */
  private static double absoluteError(double forecast, double actual) {
    return Math.abs(Math.max(0, forecast) - actual);
  }

  /**
   * Weights proportional to the inverse error over the {@value #BLENDED} best candidates, zero for
   * the rest; the best alone when errors are unknown (no evidence yet) or one is zero.
   */
  private static double[] inverseErrorWeights(double[] errors, int[] order) {
    int n = errors.length;
    int best = order[0];
    if (Double.isNaN(errors[best]) || errors[best] == 0) {
      return oneHot(best, n);
    }
    // Every candidate is judged on the same minutes: errors are all known or all NaN.
    double[] weights = new double[n];
    double sum = 0;
    for (int i = 0; i < Math.min(BLENDED, n); i++) {
      weights[order[i]] = 1 / errors[order[i]];
      sum += weights[order[i]];
    }
    for (int c = 0; c < n; c++) {
      weights[c] /= sum;
    }
    return weights;
  }

  private static double[] oneHot(int index, int n) {
    double[] weights = new double[n];
    weights[index] = 1;
    return weights;
  }

  static int band(int horizon) {
    int b = 0;
    while (horizon > BAND_ENDS[b]) {
      b++;
    }
    return b;
  }

  /** The candidates fitted to one history and the weights chosen per band. */
  static final class BlendedFit implements Fitted {
    private final Fitted[] fitted;
    private final double[][] weights;
    private final int[][] rankings;
    private final List<Blend> blends;

    BlendedFit(Fitted[] fitted, double[][] weights, int[][] rankings, List<Blend> blends) {
      this.fitted = fitted;
      this.weights = weights;
      this.rankings = rankings;
      this.blends = List.copyOf(blends);
    }

    List<Blend> blends() {
      return blends;
    }

    /** The cycle of the candidate carrying most weight over the bands. */
    @Override
    public Seasonality seasonality() {
      double[] total = new double[fitted.length];
      for (double[] band : weights) {
        for (int c = 0; c < band.length; c++) {
          total[c] += band[c];
        }
      }
      int heaviest = 0;
      for (int c = 1; c < total.length; c++) {
        heaviest = total[c] > total[heaviest] ? c : heaviest;
      }
      return fitted[heaviest].seasonality();
    }

    /**
     * The weighted forecast of each minute by its horizon's band; a candidate with nothing to go
     * on (NaN: the minutes its window needs are missing) is left out and the others' weights
     * renormalised, and when all weighted ones are, the best-ranked candidate that can forecast
     * stands in.
     */
    @Override
    public IntToDoubleFunction from(int origin) {
      IntToDoubleFunction[] forecasts = new IntToDoubleFunction[fitted.length];
      for (int c = 0; c < fitted.length; c++) {
        forecasts[c] = fitted[c].from(origin);
      }
      return minute -> {
        int b = band(minute - origin + 1);
        double[] w = weights[b];
        double sum = 0;
        double weightSum = 0;
        for (int c = 0; c < forecasts.length; c++) {
          if (w[c] > 0) {
            double value = forecasts[c].applyAsDouble(minute);
            if (!Double.isNaN(value)) {
              sum += w[c] * value;
              weightSum += w[c];
            }
          }
        }
        if (weightSum > 0) {
          return sum / weightSum;
        }
        for (int c : rankings[b]) {
          double value = forecasts[c].applyAsDouble(minute);
          if (!Double.isNaN(value)) {
            return value;
          }
        }
        return Double.NaN;
      };
    }
  }
}
