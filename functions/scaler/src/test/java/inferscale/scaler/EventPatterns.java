package inferscale.scaler;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * EventBridge event patterns checked and matched by moto's implementation (moto 5.2.1, the
 * emulator the AWS tests run; its TestEventPattern API is not implemented, so its matcher is called
 * directly under the python3 that has moto). A pattern EventBridge would reject fails the test.
 */
final class EventPatterns {
  private static final String SCRIPT = "import json, sys\n"
      + "from moto.events.models import EventPattern, EventPatternParser\n"
      + "text = sys.argv[1]\n"
      + "pattern = EventPattern(text, EventPatternParser(text).parse())\n"
      + "print(json.dumps([pattern.matches_event(e) for e in json.loads(sys.argv[2])]))\n";

  private EventPatterns() {}

  /** Whether {@code pattern} matches each of {@code events}, in order. */
  static List<Boolean> matches(JsonNode pattern, List<JsonNode> events) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("python3", "-c", SCRIPT, pattern.toString(),
          Json.mapper().writeValueAsString(events)).start();
    } catch (IOException e) {
      throw new AssertionError("python3 with moto (5.2.1) must be on the PATH: " + e, e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new AssertionError("moto rejected the pattern " + pattern + ":\n" + err);
    }
    List<Boolean> matched = new ArrayList<>();
    Json.mapper().readTree(out).forEach(m -> matched.add(m.asBoolean()));
    return matched;
  }
}
