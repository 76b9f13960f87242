package inferscale.control;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What started a scaler cycle. Every trigger runs the same cycle; the name is in the outcome and
 * the cycle's metrics so that runs outside the schedule can be told apart.
 */
public enum Trigger {
  /** The one-minute schedule. */
  SCHEDULE("schedule", "Schedule"),
  /** The fast path: the alarm on in-flight requests per instance went to ALARM. */
  ALARM("alarm", "Alarm"),
  /** SageMaker reported the endpoint InService again, or failed. */
  ENDPOINT_STATE("endpointState", "EndpointState"),
  /** A hand invoke, a dry run from the command line. */
  MANUAL("manual", "Manual");

  private final String jsonName;
  private final String metricName;

  Trigger(String jsonName, String metricName) {
    this.jsonName = jsonName;
    this.metricName = metricName;
  }

  @JsonValue
  public String jsonName() {
    return jsonName;
  }

  /** Its value of the metrics' {@code Trigger} dimension. */
  public String metricName() {
    return metricName;
  }

  /** @throws IllegalArgumentException naming the values it takes */
  public static Trigger fromJsonName(String name) {
    for (Trigger trigger : values()) {
      if (trigger.jsonName.equals(name)) {
        return trigger;
      }
    }
    throw new IllegalArgumentException("must be one of [schedule, alarm, endpointState, manual],"
        + " got '" + name + "'");
  }
}
