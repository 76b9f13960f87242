package inferscale.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import inferscale.forecast.Blend;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one forecaster run did, returned to the invoker and logged.
 *
 * @param channel where the forecast is published (a live deployment's, a dry-run deployment's)
 * @param historyMinutes minutes of history read; {@code minutesWithData} of them had data, and
 *     {@code saturatedMinutes} were read as lower bounds of demand
 * @param status the forecaster's status, or null when paused
 * @param methods how the forecast blended its methods, band by band of minutes ahead; empty when
 *     paused or without a forecast
 * @param published datapoints published
 * @param firstMinute the first minute forecast (the one after the newest published minute)
 * @param notes what the run could not do as usual, each in a sentence; logged as warnings
 */
@JsonPropertyOrder({"endpointName", "variantName", "inferenceComponentName", "channel", "paused",
    "historyMinutes", "minutesWithData", "saturatedMinutes", "status", "note", "methods",
    "published", "firstMinute", "lastMinute", "notes"})
public record ForecastOutcome(String endpointName, String variantName,
    @JsonInclude(JsonInclude.Include.NON_NULL) String inferenceComponentName, String channel,
    boolean paused, int historyMinutes, int minutesWithData, int saturatedMinutes, String status,
    String note, List<MethodBand> methods, int published, Instant firstMinute, Instant lastMinute,
    List<String> notes) {
  public ForecastOutcome {
    methods = List.copyOf(methods);
    notes = List.copyOf(notes);
  }

  /**
   * The methods a band of horizons blended and their weights (those above zero).
   *
   * @param throughMinute the band's last minute ahead; null for the last band, which has no end
   */
  public record MethodBand(Integer throughMinute, Map<String, Double> weights) {
    public MethodBand {
      weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }

    /** The bands of a forecast's blend, each with its methods of non-zero weight. */
    public static List<MethodBand> of(List<Blend> blends) {
      List<MethodBand> bands = new ArrayList<>();
      for (Blend blend : blends) {
        Map<String, Double> used = new LinkedHashMap<>();
        blend.weights().forEach((name, weight) -> {
          if (weight > 0) {
            used.put(name, weight);
          }
        });
        bands.add(new MethodBand(
            blend.throughMinute() == Integer.MAX_VALUE ? null : blend.throughMinute(), used));
      }
      return bands;
    }
  }
}
