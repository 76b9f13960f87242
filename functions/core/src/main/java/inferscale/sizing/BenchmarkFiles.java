package inferscale.sizing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads load-test results into {@link BenchmarkPoint}s: LLMPerf's {@code *_summary.json}
 * (ray-project/llmperf, {@code token_benchmark_ray.py}), vLLM's {@code --save-result} JSON
 * ({@code benchmark_serving.py}, {@code vllm bench serve}), or a CSV with the columns {@value
 * #CSV_HEADER}. The JSON files do not say what they ran on, so the caller names the instance
 * type and tensor-parallel degree; a CSV row names its own. Every error names the file and what
 * is wrong in it.
 */
public final class BenchmarkFiles {
  public static final String CSV_HEADER =
      "instance_type,tensor_parallel,concurrency,rps,ttft_p50_ms,ttft_p95_ms,itl_ms";

  private BenchmarkFiles() {}

  /**
   * @param instanceType what a JSON file ran on; null for a CSV
   * @param tensorParallel the JSON file's tensor-parallel degree; null for a CSV
   */
  public static List<BenchmarkPoint> parse(String name, Reader source, String instanceType,
      Integer tensorParallel) {
    String text = read(name, source);
    if (!text.stripLeading().startsWith("{")) {
      if (instanceType != null) {
        throw new InvalidSizingInputException("benchmark", name + ": not a JSON object, as an"
            + " LLMPerf summary or a vLLM result given as TYPE:TP=FILE is (a CSV is given alone:"
            + " it names its instance type on each row)");
      }
      return csv(name, text);
    }
    if (instanceType == null || tensorParallel == null) {
      throw new InvalidSizingInputException("benchmark", name + ": a JSON result does not say"
          + " what it ran on; give it as INSTANCE_TYPE:TP=" + name);
    }
    JsonNode json = SizingJson.tree(name, new StringReader(text));
    if (json.has("results_ttft_s_quantiles_p95")) {
      return List.of(llmPerf(name, json, instanceType, tensorParallel));
    }
    if (json.has("request_throughput")) {
      return List.of(vllm(name, json, instanceType, tensorParallel));
    }
    throw new InvalidSizingInputException("benchmark", name + ": neither an LLMPerf summary"
        + " (results_ttft_s_quantiles_p95) nor a vLLM result (request_throughput)");
  }

  /** LLMPerf: seconds; TTFT at p95, inter-token latency as its mean. */
  private static BenchmarkPoint llmPerf(String name, JsonNode json, String type, int tp) {
    return point(name, type, tp, number(name, json, "num_concurrent_requests"),
        number(name, json, "results_num_completed_requests_per_min") / 60,
        1000 * number(name, json, "results_ttft_s_quantiles_p95"), "p95",
        1000 * number(name, json, "results_inter_token_latency_s_mean"),
        optional(json, "mean_input_tokens"), optional(json, "mean_output_tokens"),
        orZero(optional(json, "results_error_rate")));
  }

  /**
   * vLLM: milliseconds; TTFT at p95 when asked for ({@code --metric-percentiles 95}), else p99
   * (its default, stricter), else the median. Without {@code max_concurrency} (an open-loop
   * rate), the mean in flight by Little's law: requests per second × mean request time.
   */
  private static BenchmarkPoint vllm(String name, JsonNode json, String type, int tp) {
    double rps = number(name, json, "request_throughput");
    String statistic = json.has("p95_ttft_ms") ? "p95" : json.has("p99_ttft_ms") ? "p99" : "p50";
    double ttft = number(name, json, statistic.equals("p50") ? "median_ttft_ms"
        : statistic + "_ttft_ms");
    double itl = number(name, json, json.has("mean_itl_ms") ? "mean_itl_ms" : "median_itl_ms");
    JsonNode concurrency = json.get("max_concurrency");
    double completed = number(name, json, "completed");
    double outputTokens = number(name, json, "total_output_tokens") / completed;
    double inFlight = concurrency != null && concurrency.isNumber() ? concurrency.asDouble()
        : rps * (number(name, json, "mean_ttft_ms") + itl * outputTokens) / 1000;
    Double input = optional(json, "total_input_tokens");
    double failed = orZero(optional(json, "failed"));
    return point(name, type, tp, inFlight, rps, ttft, statistic, itl,
        input == null ? null : input / completed, outputTokens, failed / (completed + failed));
  }

  private static List<BenchmarkPoint> csv(String name, String text) {
    List<BenchmarkPoint> points = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new StringReader(text))) {
      String header = lines.readLine();
      List<String> columns = header == null ? List.of() : Arrays.stream(
          header.replace("\uFEFF", "").split(",", -1))
          .map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
      if (!columns.equals(List.of(CSV_HEADER.split(",")))) {
        throw new InvalidSizingInputException("benchmark", name + " line 1: expected the header "
            + CSV_HEADER + ", found " + header);
      }
      int lineNumber = 1;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        String at = name + " line " + lineNumber;
        if (cells.length != columns.size()) {
          throw new InvalidSizingInputException("benchmark", at + ": expected "
              + columns.size() + " cells, found " + cells.length);
        }
        boolean hasP95 = !cells[5].isBlank();
        points.add(point(at, cells[0].strip(), (int) cell(at, "tensor_parallel", cells[1]),
            cell(at, "concurrency", cells[2]), cell(at, "rps", cells[3]),
            hasP95 ? cell(at, "ttft_p95_ms", cells[5]) : cell(at, "ttft_p50_ms", cells[4]),
            hasP95 ? "p95" : "p50", cell(at, "itl_ms", cells[6]), null, null, 0));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
    if (points.isEmpty()) {
      throw new InvalidSizingInputException("benchmark", name + ": no rows after the header");
    }
    return points;
  }

  private static BenchmarkPoint point(String at, String type, int tp, double concurrency,
      double rps, double ttftMs, String statistic, double itlMs, Double inputTokens,
      Double outputTokens, double failedShare) {
    try {
      return new BenchmarkPoint(type, tp, concurrency, rps, ttftMs, statistic, itlMs, at,
          inputTokens, outputTokens, failedShare);
    } catch (InvalidSizingInputException e) {
      throw new InvalidSizingInputException("benchmark", at + ": " + e.getMessage());
    }
  }

  private static double cell(String at, String column, String text) {
    try {
      double value = Double.parseDouble(text.strip());
      if (column.equals("tensor_parallel") && value != Math.rint(value)) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new InvalidSizingInputException("benchmark", at + ": " + column
          + " must be a number" + (column.equals("tensor_parallel") ? " (whole)" : "")
          + ", found '" + text + "'");
    }
  }

  private static double number(String name, JsonNode json, String key) {
    JsonNode value = json.get(key);
    if (value == null || !value.isNumber()) {
      throw new InvalidSizingInputException("benchmark", name + ": " + key + " must be a number,"
          + " found " + (value == null ? "nothing" : value.toString()));
    }
    return value.asDouble();
  }

  /** A number the format may leave out, or null. */
  private static Double optional(JsonNode json, String key) {
    JsonNode value = json.get(key);
    return value != null && value.isNumber() ? value.asDouble() : null;
  }

  private static double orZero(Double value) {
    return value == null ? 0 : value;
  }

  private static String read(String name, Reader source) {
    try (Reader reader = source) {
      StringWriter text = new StringWriter();
      reader.transferTo(text);
      return text.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }
}
