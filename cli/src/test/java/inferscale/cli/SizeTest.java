package inferscale.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SizeTest {

  @Test
  void tableRanksFittingInstanceTypesByFleetCost() {
    CliRun run =
        CliRun.of("size", "--model", "llama-3.1-70b", "--precision", "fp16", "--context", "8192",
            "--concurrency", "32");
    assertEquals(0, run.exitCode(), run.err());
    String[] lines = run.out().split("\n");
    assertEquals("llama-3.1-70b: 70.6 B parameters; fp16 weights 141.2 GB", lines[0]);
    assertEquals(
        "KV cache (fp16): 320 KiB per token, 2.68 GB per 8192-token sequence,"
            + " 85.9 GB for 32 sequences",
        lines[1]);
    assertEquals("Requests of 1024 prompt + 256 output tokens within TTFT p95 2000 ms and ITL 100"
        + " ms; 10% of accelerator memory kept for the runtime", lines[2]);
    assertEquals("One instance each (no --target-rps or --trace)", lines[3]);
    assertTrue(lines[5].startsWith("INSTANCE TYPE"), lines[5]);
    // The cheapest instance with a throughput figure; the CPU types have none and come after.
    assertTrue(lines[6].startsWith("ml.inf2.48xlarge  12 x 32 GiB     8       1"), lines[6]);
    assertTrue(run.out().contains("ml.r7i.8xlarge    CPU 256 GiB     1       1     106.19        39"
        + "         -         -          -          -           -     no throughput figure"),
        run.out());
    assertTrue(
        run.out().contains("ml.g5.48xlarge    8 x 24 GiB      -       -      44.34        16"
            + "         -         -          -          -           -     does not fit: KV cache"
            + " for 32 x 8192 tokens needs 85.9 GB"),
        run.out());
    assertTrue(run.out().contains("compiled 2026-11-25"), run.out());
  }

  @Test
  void jsonGivesEveryCandidateWithTheDocumentedKeys() throws IOException {
    CliRun run =
        CliRun.of("size", "--model", "llama-3.1-8b", "--precision", "INT8", "--kv-precision", "fp8",
            "--target-rps", "50", "--rps-per-instance", "6", "--format", "json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode report = new ObjectMapper().readTree(run.out());
    assertEquals("llama-3.1-8b", report.get("model").asText());
    assertEquals(8.03, report.get("weightsGB").asDouble());
    assertEquals(64 * 1024, report.get("kvBytesPerToken").asLong());
    JsonNode cheapest = report.get("candidates").get(0);
    assertTrue(cheapest.get("fits").asBoolean());
    assertEquals(9, cheapest.get("instances").asLong());
    assertEquals(1, cheapest.get("tensorParallel").asInt());
    assertTrue(cheapest.get("reason").isNull());
  }

  @Test
  void customModelFromFlagsOrFileAndAnInstanceCatalogFile(@TempDir Path dir) throws IOException {
    Path instances = dir.resolve("instances.json");
    Files.writeString(
        instances,
        "{\"region\": \"eu-west-1\", \"pricesCompiled\": \"2026-01-01\", \"instances\": ["
            + "{\"name\": \"ml.test.xlarge\", \"accelerators\": 2, \"acceleratorMemoryGiB\": 24,"
            + " \"hourlyPrice\": 3}]}");
    Path model = dir.resolve("model.json");
    Files.writeString(
        model,
        "{\"name\": \"mine\", \"parametersBillions\": 7, \"layers\": 32, \"kvHeads\": 8,"
            + " \"headDim\": 128}");

    CliRun fromFlags =
        CliRun.of("size", "--params-b", "7", "--layers", "32", "--kv-heads", "8", "--head-dim", "128",
            "--name", "mine", "--instances", instances.toString(), "--format", "json");
    CliRun fromFile =
        CliRun.of("size", "--model-file", model.toString(), "--instances", instances.toString(),
            "--format", "json");
    assertEquals(0, fromFlags.exitCode(), fromFlags.err());
    assertEquals(fromFlags.out(), fromFile.out());
    assertTrue(fromFile.out().contains("\"instanceType\" : \"ml.test.xlarge\""), fromFile.out());
  }

  @Test
  void impossibleInputsAreUsageErrorsNamingTheFlagAndPrintNothing() {
    CliRun unknown = CliRun.of("size", "--model", "gpt-9");
    assertEquals(2, unknown.exitCode());
    assertEquals("", unknown.out());
    assertTrue(
        unknown.err().startsWith("--model: unknown model 'gpt-9'; known models: llama-2-7b,"),
        unknown.err());

    CliRun negativeContext = CliRun.of("size", "--model", "llama-3.1-8b", "--context", "-5");
    assertEquals(2, negativeContext.exitCode());
    assertEquals("", negativeContext.out());
    assertTrue(
        negativeContext.err().startsWith("--context must be a positive whole number, found -5"),
        negativeContext.err());

    CliRun zeroLayers =
        CliRun.of("size", "--params-b", "7", "--layers", "0", "--kv-heads", "8", "--head-dim", "128");
    assertEquals(2, zeroLayers.exitCode());
    assertTrue(zeroLayers.err().startsWith("--layers must be a positive"), zeroLayers.err());

    CliRun halfRate = CliRun.of("size", "--model", "llama-3.1-8b", "--rps-per-instance", "10");
    assertEquals(2, halfRate.exitCode());
    assertTrue(halfRate.err().startsWith("--rps-per-instance needs --target-rps"), halfRate.err());

    CliRun unusedShare = CliRun.of("size", "--model", "llama-3.1-8b", "--target-rps", "5",
        "--utilisation", "0.5");
    assertEquals(2, unusedShare.exitCode());
    assertTrue(unusedShare.err().startsWith("--utilisation needs --emit-policy"),
        unusedShare.err());

    CliRun missingFile = CliRun.of("size", "--model-file", "/no/such/model.json");
    assertEquals(2, missingFile.exitCode());
    assertTrue(missingFile.err().startsWith("--model-file: no such file"), missingFile.err());
  }

  @Test
  void aModelFileThatIsAFolderOrNotTextSaysSoOnce(@TempDir Path dir) throws IOException {
    CliRun folder = CliRun.of("size", "--model-file", dir.toString());
    assertEquals(2, folder.exitCode());
    assertTrue(folder.err().startsWith("--model-file: " + dir + " is a folder, not a file\n"),
        folder.err());

    Path binary = Files.write(dir.resolve("model.json"), new byte[] {'{', (byte) 0xff, '}'});
    CliRun notText = CliRun.of("size", "--model-file", binary.toString());
    assertEquals(2, notText.exitCode());
    assertTrue(notText.err().startsWith("--model-file: " + binary + " is not UTF-8 text\n"),
        notText.err());
  }

  @Test
  void ratesThatCannotBeRealAreUsageErrorsNamingTheFlag() {
    CliRun absurd = CliRun.of("size", "--model", "llama-3.1-8b", "--target-rps", "1e12",
        "--rps-per-instance", "0.000001");
    assertEquals(2, absurd.exitCode());
    assertEquals("", absurd.out());
    assertTrue(absurd.err().startsWith("--target-rps must be at most 10000000 requests a second"
        + " (more than any one endpoint serves), found 1.0E12\n"), absurd.err());

    CliRun slow = CliRun.of("size", "--model", "llama-3.1-8b", "--target-rps", "10",
        "--rps-per-instance", "0.000001");
    assertEquals(2, slow.exitCode());
    assertTrue(slow.err().startsWith("--rps-per-instance must be at least 0.001 requests a second"),
        slow.err());
  }

  @Test
  void theLargestRealFleetStaysInItsColumns() {
    CliRun run = CliRun.of("size", "--model", "llama-3.1-8b", "--target-rps", "10000000",
        "--rps-per-instance", "0.001");
    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().toList();
    String header = lines.get(5);
    int instancesEnd = header.indexOf("INSTANCES") + "INSTANCES".length();
    int fleetEnd = header.indexOf("FLEET $/H") + "FLEET $/H".length();
    for (String line : lines.subList(6, lines.size())) {
      if (line.isEmpty()) {
        break;
      }
      String instances = line.substring(0, instancesEnd).stripTrailing();
      assertTrue(instances.endsWith(" 10000000000") || instances.endsWith(" -"), line);
      // The cost's last digit sits just before the estimate mark, under the header's end.
      char costEnd = line.charAt(fleetEnd - 2);
      assertTrue(Character.isDigit(costEnd) || costEnd == '-', line);
    }
  }

  @Test
  void helpExplainsEveryOption() {
    CliRun help = CliRun.of("size", "--help");
    assertEquals(0, help.exitCode());
    for (String option :
        new String[] {
          "--model", "--model-file", "--params-b", "--layers", "--kv-heads", "--head-dim",
          "--precision", "--kv-precision", "--context", "--concurrency", "--overhead-percent",
          "--target-rps", "--rps-per-instance", "--instances", "--format", "--trace",
          "--input-tokens", "--output-tokens", "--ttft-slo-ms", "--itl-slo-ms", "--benchmark",
          "--emit-policy", "--utilisation"
        }) {
      assertTrue(help.out().contains(option), option + " missing from help");
    }
    assertTrue(help.out().contains("llama-3.1-70b"), "help lists the built-in models");
  }

  @Test
  void aBenchmarkReplacesTheEstimateForWhatItRanOn(@TempDir Path dir) throws IOException {
    Path vllm = Files.writeString(dir.resolve("vllm.json"), "{\"max_concurrency\": 32,"
        + " \"completed\": 400, \"total_output_tokens\": 102400, \"request_throughput\": 3.95,"
        + " \"mean_ttft_ms\": 310.2, \"median_ttft_ms\": 280.5, \"p95_ttft_ms\": 498.0,"
        + " \"p99_ttft_ms\": 640.1, \"mean_itl_ms\": 30.0, \"median_itl_ms\": 29.5}");
    CliRun run = CliRun.of("size", "--model", "llama-3.1-8b", "--concurrency", "8",
        "--target-rps", "20", "--benchmark", "ml.g6e.xlarge:1=" + vllm, "--format", "json");
    assertEquals(0, run.exitCode(), run.err());
    for (JsonNode candidate : new ObjectMapper().readTree(run.out()).get("candidates")) {
      if (candidate.get("instanceType").asText().equals("ml.g6e.xlarge")) {
        assertEquals("measured", candidate.at("/throughput/basis").asText());
        assertEquals("estimated", candidate.at("/estimate/basis").asText());
        assertEquals(6, candidate.get("instances").asInt(), "20 req/s at 3.95");
      } else if (candidate.get("fits").asBoolean()
          && !candidate.get("throughput").isNull()) {
        assertEquals("estimated", candidate.at("/throughput/basis").asText());
      }
    }

    CliRun unnamed = CliRun.of("size", "--model", "llama-3.1-8b", "--benchmark", vllm.toString());
    assertEquals(2, unnamed.exitCode());
    assertEquals("", unnamed.out());
    assertTrue(unnamed.err().startsWith("--benchmark " + vllm + ": a JSON result does not say"
        + " what it ran on; give it as INSTANCE_TYPE:TP=" + vllm), unnamed.err());
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"request_throughput\": ");
    CliRun malformed = CliRun.of("size", "--model", "llama-3.1-8b", "--benchmark",
        "ml.g6e.xlarge:1=" + broken);
    assertEquals(2, malformed.exitCode());
    assertTrue(malformed.err().startsWith("--benchmark " + broken + " (line 1): "),
        malformed.err());
    CliRun badSpec = CliRun.of("size", "--model", "llama-3.1-8b", "--benchmark",
        "ml.g6e.xlarge:one=" + vllm);
    assertEquals(2, badSpec.exitCode());
    assertTrue(badSpec.err().startsWith("--benchmark ml.g6e.xlarge:one=" + vllm
        + ": expected INSTANCE_TYPE:TP=FILE"), badSpec.err());
  }

  @Test
  void theEmittedPolicyIsJsonTheScalerParsesWithItsTemplateParametersOnStderr() throws Exception {
    CliRun run = CliRun.of("size", "--model", "llama-3.1-8b", "--concurrency", "8",
        "--trace", "synthetic:office-hours", "--emit-policy");
    assertEquals(0, run.exitCode(), run.err());
    inferscale.decision.PolicyConfig policy = inferscale.decision.PolicyConfigParser.parse(
        new ObjectMapper().readTree(run.out()), inferscale.decision.PolicyConfig.defaults());
    assertEquals(1, policy.bounds().minInstances(), "nights are idle");
    assertTrue(policy.targets().maxRpsPerInstance() > policy.targets().rpsPerInstance());
    assertTrue(run.err().contains("Template parameters: MinInstances=1 MaxInstances="
        + policy.bounds().maxInstances() + " TargetRpsPerInstance="), run.err());

    // A flat figure makes a CPU type cheapest: its policy says the figure was given.
    CliRun flat = CliRun.of("size", "--model", "llama-3.1-70b", "--precision", "int4",
        "--concurrency", "1", "--context", "2048", "--target-rps", "1", "--rps-per-instance", "1",
        "--emit-policy");
    assertEquals(0, flat.exitCode(), flat.err());
    assertTrue(flat.err().startsWith("Policy for ml.c7i.8xlarge x 1 (TP 1, 1 copy an instance,"
        + " given)"), flat.err());

    CliRun noRate = CliRun.of("size", "--model", "llama-3.1-8b", "--emit-policy");
    assertEquals(2, noRate.exitCode());
    assertEquals("", noRate.out());
    assertTrue(noRate.err().startsWith("--emit-policy needs --target-rps or --trace"),
        noRate.err());
  }
}
