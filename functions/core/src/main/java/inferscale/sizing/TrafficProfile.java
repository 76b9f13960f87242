package inferscale.sizing;

import inferscale.trace.Trace;
import java.util.Arrays;

/**
 * What a trace asks of a fleet: its busiest, median and quiet minutes' request rates, and its
 * requests' mean lengths where it has token columns.
 *
 * @param quietRps the 5th percentile minute: the floor the quietest hours need, not an outage's
 * @param meanInputTokens null when the trace has no token columns
 * @param meanOutputTokens null when the trace has no token columns
 */
public record TrafficProfile(String name, double peakRps, double medianRps, double quietRps,
    Double meanInputTokens, Double meanOutputTokens) {

  public static TrafficProfile of(Trace trace) {
    double[] perMinute = new double[trace.length()];
    int n = 0;
    double requests = 0;
    double input = 0;
    double output = 0;
    double withTokens = 0;
    for (int minute = 0; minute < trace.length(); minute++) {
      if (!trace.isGap(minute)) {
        perMinute[n++] = trace.requests(minute);
        requests += trace.requests(minute);
        if (trace.hasTokens() && !Double.isNaN(trace.tokens(minute))) {
          input += trace.inputTokens(minute);
          output += trace.outputTokens(minute);
          withTokens += trace.requests(minute);
        }
      }
    }
    if (n == 0 || requests <= 0) {
      throw new InvalidSizingInputException("trace", trace.name() + " has no requests");
    }
    double[] sorted = Arrays.copyOf(perMinute, n);
    Arrays.sort(sorted);
    boolean tokens = input > 0 && output > 0;
    return new TrafficProfile(trace.name(), sorted[n - 1] / 60, sorted[(n - 1) / 2] / 60,
        sorted[(int) Math.floor(0.05 * (n - 1))] / 60, tokens ? input / withTokens : null,
        tokens ? output / withTokens : null);
  }
}
