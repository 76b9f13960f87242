package inferscale.sizing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The sample files were written from each tool's source: see their formats in BenchmarkFiles. */
class BenchmarkFilesTest {
  static Reader sample(String file) {
    return new InputStreamReader(Objects.requireNonNull(
        BenchmarkFilesTest.class.getResourceAsStream("benchmarks/" + file)),
        StandardCharsets.UTF_8);
  }

  @Test
  void anLlmPerfSummaryIsOneLevelInSecondsAndRequestsPerMinute() {
    BenchmarkPoint level = BenchmarkFiles.parse("llmperf_summary.json",
        sample("llmperf_summary.json"), "ml.g6e.xlarge", 1).get(0);

    assertEquals(new BenchmarkPoint("ml.g6e.xlarge", 1, 16, 121.5 / 60, 420, "p95", 29.5,
        "llmperf_summary.json", 1024.0, 256.0, 0), level);
  }

  @Test
  void aVllmResultIsOneLevelInMillisecondsAtItsMaxConcurrency() {
    BenchmarkPoint level = BenchmarkFiles.parse("vllm_result.json", sample("vllm_result.json"),
        "ml.g6e.xlarge", 1).get(0);

    // 409600 prompt and 102400 output tokens over 400 requests, none failed.
    assertEquals(new BenchmarkPoint("ml.g6e.xlarge", 1, 32, 3.95, 498.0, "p95", 30.0,
        "vllm_result.json", 1024.0, 256.0, 0), level);
  }

  @Test
  void aVllmResultWithoutP95OrAConcurrencyLimitUsesP99AndLittlesLaw() {
    String openLoop = "{\"request_rate\": 4.0, \"max_concurrency\": null, \"completed\": 100,"
        + " \"total_output_tokens\": 25600, \"request_throughput\": 3.9, \"mean_ttft_ms\": 300,"
        + " \"median_ttft_ms\": 280, \"p99_ttft_ms\": 640, \"mean_itl_ms\": 30}";

    BenchmarkPoint level = BenchmarkFiles.parse("open.json", new StringReader(openLoop),
        "ml.g5.2xlarge", 1).get(0);

    assertEquals("p99", level.ttftStatistic());
    assertEquals(null, level.inputTokens(), "the file leaves the prompts out");
    assertEquals(256, level.outputTokens());
    assertEquals(640, level.ttftMs());
    // 3.9 req/s × (300 ms + 256 tokens × 30 ms) in flight on average.
    assertEquals(3.9 * (0.3 + 256 * 0.030), level.concurrency(), 1e-9);
  }

  @Test
  void aCsvNamesWhatEachLevelRanOnAndPrefersP95() {
    List<BenchmarkPoint> levels = BenchmarkFiles.parse("levels.csv", sample("levels.csv"), null,
        null);

    assertEquals(4, levels.size());
    assertEquals(new BenchmarkPoint("ml.g6e.xlarge", 1, 32, 4.6, 610, "p95", 38,
        "levels.csv line 4"), levels.get(2));
    String onlyMedian = BenchmarkFiles.CSV_HEADER + "\nml.p5.48xlarge,8,64,40,150,,12\n";
    BenchmarkPoint median = BenchmarkFiles.parse("m.csv", new StringReader(onlyMedian), null,
        null).get(0);
    assertEquals("p50", median.ttftStatistic());
    assertEquals(150, median.ttftMs());
  }

  @Test
  void errorsNameTheFileTheLineAndWhatIsWrong() {
    assertProblem("benchmark vllm_result.json: a JSON result does not say what it ran on; give"
        + " it as INSTANCE_TYPE:TP=vllm_result.json",
        () -> BenchmarkFiles.parse("vllm_result.json", sample("vllm_result.json"), null, null));
    assertProblem("benchmark x.csv: not a JSON object, as an LLMPerf summary or a vLLM result"
        + " given as TYPE:TP=FILE is (a CSV is given alone: it names its instance type on each"
        + " row)", () -> BenchmarkFiles.parse("x.csv", sample("levels.csv"), "ml.g5.xlarge", 1));
    assertProblem("benchmark x.json: neither an LLMPerf summary (results_ttft_s_quantiles_p95)"
        + " nor a vLLM result (request_throughput)",
        () -> BenchmarkFiles.parse("x.json", new StringReader("{\"a\": 1}"), "ml.g5.xlarge", 1));
    assertProblem("benchmark x.json: request_throughput must be a number, found \"fast\"",
        () -> BenchmarkFiles.parse("x.json", new StringReader("{\"request_throughput\": \"fast\"}"),
            "ml.g5.xlarge", 1));
    assertProblem("benchmark b.csv line 1: expected the header " + BenchmarkFiles.CSV_HEADER
        + ", found type,rps", () -> BenchmarkFiles.parse("b.csv", new StringReader("type,rps\n"),
            null, null));
    assertProblem("benchmark b.csv line 2: rps must be a number, found 'lots'",
        () -> BenchmarkFiles.parse("b.csv", new StringReader(BenchmarkFiles.CSV_HEADER
            + "\nml.g5.xlarge,1,8,lots,100,200,20\n"), null, null));
    assertProblem("benchmark b.csv line 2: tensor_parallel must be a number (whole), found '1.5'",
        () -> BenchmarkFiles.parse("b.csv", new StringReader(BenchmarkFiles.CSV_HEADER
            + "\nml.g5.xlarge,1.5,8,2,100,200,20\n"), null, null));
    assertProblem("benchmark b.csv line 2: rps must be a positive number, found 0.0",
        () -> BenchmarkFiles.parse("b.csv", new StringReader(BenchmarkFiles.CSV_HEADER
            + "\nml.g5.xlarge,1,8,0,100,200,20\n"), null, null));
  }

  private static void assertProblem(String message, Runnable parse) {
    assertEquals(message, assertThrows(InvalidSizingInputException.class, parse::run)
        .getMessage());
  }
}
