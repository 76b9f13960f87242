package inferscale.aws.adapters;

import inferscale.control.LastAsk;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The scaler's record of its last ask as the endpoint tag {@value #KEY}, in the characters a
 * SageMaker tag value allows: {@code at=2026-11-30T12:00:05Z from=3 to=5 outcome=pending
 * failures=0 retryAt=-}.
 */
public final class AskTag {
  public static final String KEY = "inferscale:last-ask";
  private static final String NONE = "-";

  private AskTag() {}

  public static String value(LastAsk ask) {
    return "at=" + ask.at() + " from=" + ask.from() + " to=" + ask.to() + " outcome="
        + ask.outcome().name().toLowerCase(Locale.ROOT) + " failures=" + ask.failures()
        + " retryAt=" + (ask.retryAt() == null ? NONE : ask.retryAt());
  }

  /** The record in a tag value, or null when there is none or it is not one (edited by hand). */
  public static LastAsk parse(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Map<String, String> fields = new HashMap<>();
    for (String field : value.trim().split("\\s+")) {
      int equals = field.indexOf('=');
      if (equals > 0) {
        fields.put(field.substring(0, equals), field.substring(equals + 1));
      }
    }
    try {
      String retryAt = fields.getOrDefault("retryAt", NONE);
      return new LastAsk(Instant.parse(fields.get("at")), Integer.parseInt(fields.get("from")),
          Integer.parseInt(fields.get("to")),
          LastAsk.Outcome.valueOf(fields.get("outcome").toUpperCase(Locale.ROOT)),
          Integer.parseInt(fields.get("failures")),
          retryAt.equals(NONE) ? null : Instant.parse(retryAt));
    } catch (NullPointerException | IllegalArgumentException | DateTimeParseException e) {
      return null;
    }
  }
}
