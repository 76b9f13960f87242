package inferscale.aws.invocation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.control.CapacityMode;
import inferscale.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Deployment-wide settings (the SAM template's parameters) that a request cannot loosen.
 *
 * @param dryRun when true, no request applies anything, whatever its own {@code dryRun} says, and
 *     the forecast is published and read on the dry-run channel
 * @param capacityMode the capacity check used when a request does not name one
 * @param request the deployed request ({@code SCALER_REQUEST}: endpoint, variant, policy…) that
 *     the schedule's and the events' runs carry out, or null when the deployment has none
 */
public record Deployment(boolean dryRun, CapacityMode capacityMode, ObjectNode request) {
  /** Where the SAM template puts the deployed request. */
  public static final String REQUEST_VARIABLE = "SCALER_REQUEST";

  public Deployment {
    Objects.requireNonNull(capacityMode, "capacityMode");
    request = request == null ? null : request.deepCopy();
  }

  /** A copy, which callers may build on. */
  @Override
  public ObjectNode request() {
    return request == null ? null : request.deepCopy();
  }

  public Deployment(boolean dryRun, CapacityMode capacityMode) {
    this(dryRun, capacityMode, null);
  }

  public static Deployment standard() {
    return new Deployment(false, CapacityMode.RESERVATIONS);
  }

  /** This deployment carrying out {@code deployed} when a run names no endpoint. */
  public Deployment withRequest(ObjectNode deployed) {
    return new Deployment(dryRun, capacityMode, deployed);
  }

  /**
   * The deployment's settings from the environment the SAM template sets: {@code DRY_RUN}
   * ({@code true}/{@code false}), {@code CAPACITY_CHECK} ({@code reservations}/{@code none}) and
   * {@code SCALER_REQUEST} (the deployed request, a JSON object; the scaler's only).
   *
   * @throws InvalidRequestException naming each bad variable
   */
  public static Deployment fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    boolean dryRun = false;
    String dry = env.getOrDefault("DRY_RUN", "false").trim().toLowerCase(Locale.ROOT);
    if (dry.equals("true")) {
      dryRun = true;
    } else if (!dry.equals("false") && !dry.isEmpty()) {
      problems.add("environment variable DRY_RUN must be true or false, got '" + dry + "'");
    }
    CapacityMode mode = CapacityMode.RESERVATIONS;
    String capacity = env.get("CAPACITY_CHECK");
    if (capacity != null && !capacity.isBlank()) {
      try {
        mode = CapacityMode.fromName(capacity);
      } catch (IllegalArgumentException e) {
        problems.add("environment variable CAPACITY_CHECK " + e.getMessage());
      }
    }
    ObjectNode request = null;
    String deployed = env.get(REQUEST_VARIABLE);
    if (deployed != null && !deployed.isBlank()) {
      try {
        JsonNode node = Json.mapper().readTree(deployed);
        if (node instanceof ObjectNode object) {
          request = object;
        } else {
          problems.add("environment variable " + REQUEST_VARIABLE + " must be a JSON object, got "
              + node.getNodeType());
        }
      } catch (JsonProcessingException e) {
        problems.add("environment variable " + REQUEST_VARIABLE + " is not valid JSON: "
            + Json.problem(e) + Json.location(e));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    return new Deployment(dryRun, mode, request);
  }
}
