package inferscale.forecast;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a forecast combined its candidate methods over a band of horizons: the weight of each
 * method (summing to 1) in the forecasts of minutes up to {@code throughMinute} ahead (after the
 * previous band's), as chosen from their replayed errors.
 *
 * @param throughMinute the last horizon of the band, in minutes ahead; {@link Integer#MAX_VALUE}
 *     for the last band
 * @param weights weight of each candidate, by name, in the order the candidates are tried
 * @param replayedError each candidate's recency-weighted mean absolute error in the band, in
 *     requests per minute, by name: the evidence the weights come from (NaN before there is any)
 */
public record Blend(int throughMinute, Map<String, Double> weights,
    Map<String, Double> replayedError) {
  public Blend {
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    replayedError = Collections.unmodifiableMap(new LinkedHashMap<>(replayedError));
  }
}
