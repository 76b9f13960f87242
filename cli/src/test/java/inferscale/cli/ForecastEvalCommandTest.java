package inferscale.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ForecastEvalCommandTest {
  private static final int DAY = 24 * 60;

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = InferScaleCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  /** Eight days of a smooth daily cycle: long enough for every baseline to forecast. */
  private Path eightDayTrace() throws IOException {
    StringBuilder csv = new StringBuilder("minute,requests\n");
    for (int m = 0; m < 8 * DAY; m++) {
      long requests = Math.round(60 - 40 * Math.cos(2 * Math.PI * (m % DAY) / DAY) + (m * 7919L % 11));
      csv.append(m).append(',').append(requests).append('\n');
    }
    return Files.writeString(dir.resolve("eight-days.csv"), csv);
  }

  @Test
  void jsonNamesTheTraceHorizonsAndEveryModel() throws IOException {
    Path trace = eightDayTrace();
    assertEquals(0, run("forecast-eval", "--trace", trace.toString(), "--format", "json"), err.toString());
    JsonNode root = new ObjectMapper().readTree(out.toString());
    assertEquals(trace.toString(), root.get("trace").asText());
    assertEquals("[10,30,60]", root.get("horizons").toString());
    JsonNode models = root.get("models");
    List<String> names = List.of("inferscale", "seasonal-naive-week", "seasonal-naive-day", "last-value");
    assertEquals(names.size(), models.size());
    for (int i = 0; i < names.size(); i++) {
      JsonNode model = models.get(i);
      assertEquals(names.get(i), model.get("name").asText());
      for (String horizon : List.of("10", "30", "60")) {
        assertTrue(model.get("smape").get(horizon).isNumber(), model.toString());
      }
      double coverage = model.get("upperCoverage").asDouble();
      assertTrue(coverage >= 0 && coverage <= 1, model.toString());
    }
  }

  @Test
  void traceShorterThanADayIsReportedNotCrashedOn() throws IOException {
    Path trace = Files.writeString(dir.resolve("hour.csv"), "minute,requests\n0,5\n1,6\n2,7\n");
    assertEquals(0, run("forecast-eval", "--trace", trace.toString()), err.toString());
    assertTrue(out.toString().contains("FORECAST_INSUFFICIENT_HISTORY"), out.toString());
  }

  @Test
  void missingTraceFileIsAUsageErrorWithExitCode2() {
    Path missing = dir.resolve("nope.csv");
    assertEquals(2, run("forecast-eval", "--trace", missing.toString()));
    assertTrue(err.toString().contains("--trace: no such file: " + missing), err.toString());
  }

  @Test
  void malformedTraceFileIsAUsageErrorNamingTheLine() throws IOException {
    Path trace = Files.writeString(dir.resolve("bad.csv"), "minute,requests\n0,5\n1,-6\n");
    assertEquals(2, run("forecast-eval", "--trace", trace.toString()));
    assertTrue(err.toString().contains("line 3"), err.toString());
  }
}
