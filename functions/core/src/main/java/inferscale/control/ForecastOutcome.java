package inferscale.control;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * What one forecaster run did, returned to the invoker and logged.
 *
 * @param channel where the forecast is published (a live deployment's, a dry-run deployment's)
 * @param historyMinutes minutes of history read; {@code minutesWithData} of them had data
 * @param status the forecaster's status, or null when paused
 * @param published datapoints published
 * @param firstMinute the first minute forecast (the one after the newest published minute)
 * @param notes what the run could not do as usual, each in a sentence; logged as warnings
 */
@JsonPropertyOrder({"endpointName", "variantName", "channel", "paused", "historyMinutes", "minutesWithData",
    "status", "note", "published", "firstMinute", "lastMinute", "notes"})
public record ForecastOutcome(String endpointName, String variantName, String channel,
    boolean paused,
    int historyMinutes, int minutesWithData, String status, String note, int published,
    Instant firstMinute, Instant lastMinute, List<String> notes) {
  public ForecastOutcome {
    notes = List.copyOf(notes);
  }
}
