package inferscale.cli;

import inferscale.sizing.BenchmarkFiles;
import inferscale.sizing.BenchmarkPoint;
import inferscale.sizing.Candidate;
import inferscale.sizing.InstanceCatalog;
import inferscale.sizing.InstanceType;
import inferscale.sizing.InvalidSizingInputException;
import inferscale.sizing.KvPrecision;
import inferscale.sizing.ModelCatalog;
import inferscale.sizing.ModelSpec;
import inferscale.sizing.Quantities;
import inferscale.sizing.Serving;
import inferscale.sizing.SloThroughput;
import inferscale.sizing.SuggestedPolicy;
import inferscale.sizing.Sizer;
import inferscale.sizing.SizingReport;
import inferscale.sizing.SizingRequest;
import inferscale.sizing.Throughput;
import inferscale.sizing.TrafficProfile;
import inferscale.sizing.WeightPrecision;
import inferscale.sizing.Workload;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code size}: which instance types hold a model and its KV cache, and what the fleet costs. */
@Command(
    name = "size",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Right-size an endpoint: for each SageMaker instance type, whether the model's weights plus"
          + " the KV cache of the requested concurrency fit in GPU memory, split into how many"
          + " tensor-parallel copies (the split that serves the most), how many sequences fit,"
          + " and what the fleet costs per hour."
          + " Cheapest fit first; the others say why they do not fit.",
      "Weights = parameters x bytes per weight. KV per token = 2 x layers x KV heads x head dim"
          + " x bytes per element. See docs/SIZING.md.",
      ""
    })
final class Size implements Callable<Integer> {

  /** Core field names as the user typed them, so errors name the flag that was wrong. */
  private static final Map<String, String> FLAGS =
      Map.ofEntries(
          Map.entry("name", "--name"),
          Map.entry("parametersBillions", "--params-b"),
          Map.entry("layers", "--layers"),
          Map.entry("kvHeads", "--kv-heads"),
          Map.entry("headDim", "--head-dim"),
          Map.entry("contextTokens", "--context"),
          Map.entry("concurrentSequences", "--concurrency"),
          Map.entry("runtimeOverheadPercent", "--overhead-percent"),
          Map.entry("targetRps", "--target-rps"),
          Map.entry("rpsPerInstance", "--rps-per-instance"),
          Map.entry("meanInputTokens", "--input-tokens"),
          Map.entry("meanOutputTokens", "--output-tokens"),
          Map.entry("ttftSloMs", "--ttft-slo-ms"),
          Map.entry("itlSloMs", "--itl-slo-ms"),
          Map.entry("utilisation", "--utilisation"),
          Map.entry("benchmark", "--benchmark"),
          Map.entry("trace", "--trace"));

  /** Table columns are at least this wide, so that the usual table keeps its shape. */
  private static final int[] TABLE_MIN_WIDTHS = {0, 12, 3, 6, 9, 8, 8, 8, 9, 10, 10, 0, 0};

  private static final boolean[] TABLE_LEFT_ALIGNED =
      {true, true, false, false, false, false, false, false, false, false, false, false, true};

  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "Model (give exactly one):%n")
  ModelChoice model;

  static final class ModelChoice {
    @Option(
        names = "--model",
        paramLabel = "NAME",
        completionCandidates = KnownModels.class,
        description = "A model from the built-in catalog: ${COMPLETION-CANDIDATES}.")
    String name;

    @Option(
        names = "--model-file",
        paramLabel = "FILE",
        description =
            "A JSON model {\"name\", \"parametersBillions\", \"layers\", \"kvHeads\", \"headDim\"},"
                + " numbers from the model's config.json.")
    Path file;

    /** No heading of its own: its options belong with the other ways to name a model. */
    @ArgGroup(exclusive = false)
    CustomModel custom;
  }

  static final class CustomModel {
    @Option(names = "--params-b", required = true, paramLabel = "N",
        description = "Or a custom model, with the three options below: total parameters, in"
            + " billions (e.g. 70).")
    double parametersBillions;

    @Option(names = "--layers", required = true, paramLabel = "N",
        description = "Transformer layers (num_hidden_layers).")
    int layers;

    @Option(names = "--kv-heads", required = true, paramLabel = "N",
        description = "Key/value heads (num_key_value_heads; equals the attention heads without GQA).")
    int kvHeads;

    @Option(names = "--head-dim", required = true, paramLabel = "N",
        description = "Dimension of one attention head (head_dim, or hidden_size / num_attention_heads).")
    int headDim;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "custom",
        description = "Name shown in the report (default: ${DEFAULT-VALUE}).")
    String name;
  }

  @Option(names = "--precision", paramLabel = "P", defaultValue = "fp16",
      description = "Weight precision: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  WeightPrecision precision;

  @Option(names = "--kv-precision", paramLabel = "P", defaultValue = "fp16",
      description = "KV-cache element type: ${COMPLETION-CANDIDATES}; fp16 stands for bf16 too"
          + " (default: ${DEFAULT-VALUE}).")
  KvPrecision kvPrecision;

  @Option(names = "--context", paramLabel = "TOKENS",
      defaultValue = "" + SizingRequest.DEFAULT_CONTEXT_TOKENS,
      description = "Tokens per sequence, prompt plus output, that the KV cache must hold"
          + " (default: ${DEFAULT-VALUE}).")
  int contextTokens;

  @Option(names = "--concurrency", paramLabel = "N",
      defaultValue = "" + SizingRequest.DEFAULT_CONCURRENT_SEQUENCES,
      description = "Sequences each instance must hold at once at full context"
          + " (default: ${DEFAULT-VALUE}).")
  int concurrentSequences;

  @Option(names = "--overhead-percent", paramLabel = "PCT",
      defaultValue = "" + SizingRequest.DEFAULT_RUNTIME_OVERHEAD_PERCENT,
      description = "Share of each GPU's memory kept for the serving runtime: CUDA context,"
          + " activations, fragmentation (default: ${DEFAULT-VALUE}).")
  double overheadPercent;

  @Option(names = "--target-rps", paramLabel = "R",
      description = "Requests per second the fleet must serve (default: the --trace's busiest"
          + " minute; without either, one instance each).")
  Double targetRps;

  @Option(names = "--rps-per-instance", paramLabel = "P",
      description = "One figure for what any instance serves within your SLO, with"
          + " --target-rps; overrides each type's own (measured or estimated).")
  Double rpsPerInstance;

  @Option(names = "--trace", paramLabel = "FILE",
      description = "A per-minute trace (the backtest's CSV) to size for: its busiest minute is"
          + " the target, its median minute is priced too, and its token columns give the"
          + " request lengths." + Traces.SYNTHETIC_HELP)
  Path trace;

  @Option(names = "--input-tokens", paramLabel = "N",
      description = "Mean prompt tokens per request (default: the --trace's, else "
          + Workload.DEFAULT_INPUT_TOKENS + ").")
  Double inputTokens;

  @Option(names = "--output-tokens", paramLabel = "N",
      description = "Mean output tokens per request (default: the --trace's, else "
          + Workload.DEFAULT_OUTPUT_TOKENS + ").")
  Double outputTokens;

  @Option(names = "--ttft-slo-ms", paramLabel = "MS", defaultValue = "" + Workload.DEFAULT_TTFT_SLO_MS,
      description = "Time to first token the throughput must hold, at p95 (default:"
          + " ${DEFAULT-VALUE}).")
  double ttftSloMs;

  @Option(names = "--itl-slo-ms", paramLabel = "MS", defaultValue = "" + Workload.DEFAULT_ITL_SLO_MS,
      description = "Mean time between output tokens the throughput must hold (default:"
          + " ${DEFAULT-VALUE}).")
  double itlSloMs;

  @Option(names = "--benchmark", paramLabel = "[TYPE:TP=]FILE",
      description = "Your own load test of one model copy, repeatable: a CSV ("
          + BenchmarkFiles.CSV_HEADER + "), or an LLMPerf *_summary.json or vLLM"
          + " --save-result JSON given as INSTANCE_TYPE:TP=FILE. Measured figures replace"
          + " the estimate for that type and tensor-parallel degree.")
  List<String> benchmarks = new ArrayList<>();

  @Option(names = "--emit-policy",
      description = "Print the scaler policy JSON for the cheapest type at the target (needs"
          + " --target-rps or --trace) instead of the table; its template parameters go to"
          + " stderr.")
  boolean emitPolicy;

  @Option(names = "--utilisation", paramLabel = "U",
      description = "With --emit-policy: the share of an instance's SLO throughput to hold it"
          + " at (default: " + SuggestedPolicy.DEFAULT_UTILISATION + ").")
  Double utilisation;

  @Option(names = "--instances", paramLabel = "FILE",
      description = "JSON instance catalog to use instead of the built-in one (us-east-1"
          + " prices, see docs/SIZING.md for the format).")
  Path instancesFile;

  @Option(names = "--format", paramLabel = "F", defaultValue = "table",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  enum Format {
    TABLE,
    JSON;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The built-in model names, for {@code --help} and shell completion. */
  static final class KnownModels implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return ModelCatalog.builtIn().names().iterator();
    }
  }

  @Override
  public Integer call() {
    if (utilisation != null && !emitPolicy) {
      throw new ParameterException(spec.commandLine(),
          "--utilisation needs --emit-policy, whose policy it sets the target of");
    }
    if (rpsPerInstance != null && targetRps == null) {
      throw new ParameterException(spec.commandLine(),
          "--rps-per-instance needs --target-rps, the rate it sizes the fleet for");
    }
    InstanceCatalog catalog =
        instancesFile == null
            ? InstanceCatalog.builtIn()
            : fromFile("--instances", instancesFile, InstanceCatalog::parse);
    TrafficProfile traffic = trace == null ? null
        : withFlagNames(() -> TrafficProfile.of(Traces.load(spec, trace)));
    if (emitPolicy && targetRps == null && traffic == null) {
      throw new ParameterException(spec.commandLine(),
          "--emit-policy needs --target-rps or --trace: the rate the policy's bounds are for");
    }
    SizingRequest request =
        withFlagNames(
            () ->
                new SizingRequest(
                    resolveModel(),
                    precision,
                    kvPrecision,
                    contextTokens,
                    concurrentSequences,
                    overheadPercent,
                    targetRps == null ? null : new Throughput(targetRps, rpsPerInstance)));
    Workload workload = withFlagNames(() -> new Workload(
        lengthOr(inputTokens, traffic == null ? null : traffic.meanInputTokens(),
            Workload.DEFAULT_INPUT_TOKENS),
        lengthOr(outputTokens, traffic == null ? null : traffic.meanOutputTokens(),
            Workload.DEFAULT_OUTPUT_TOKENS),
        ttftSloMs, itlSloMs));
    List<BenchmarkPoint> measured = new ArrayList<>();
    for (String benchmark : benchmarks) {
      measured.addAll(benchmark(benchmark));
    }
    Serving serving = withFlagNames(() -> new Serving(workload, measured, traffic));
    SizingReport report = Sizer.size(request, catalog.instances(), serving);
    PrintWriter out = spec.commandLine().getOut();
    if (emitPolicy) {
      emitPolicy(out, request, report, traffic);
    } else if (format == Format.JSON) {
      out.println(report.toJson());
    } else {
      printTable(out, request, report, catalog);
    }
    out.flush();
    return 0;
  }

  private static double lengthOr(Double given, Double fromTrace, double fallback) {
    return given != null ? given : fromTrace != null ? fromTrace : fallback;
  }

  /** {@code [TYPE:TP=]FILE}: a JSON result names what it ran on, a CSV row its own. */
  private List<BenchmarkPoint> benchmark(String value) {
    int equals = value.indexOf('=');
    String type = null;
    Integer tensorParallel = null;
    if (equals >= 0) {
      String[] ranOn = value.substring(0, equals).split(":", -1);
      try {
        if (ranOn.length != 2 || ranOn[0].isBlank()) {
          throw new NumberFormatException();
        }
        type = ranOn[0];
        tensorParallel = Integer.parseInt(ranOn[1]);
      } catch (NumberFormatException e) {
        throw new ParameterException(spec.commandLine(), "--benchmark " + value
            + ": expected INSTANCE_TYPE:TP=FILE, e.g. ml.g5.12xlarge:4=summary.json");
      }
    }
    Path file = Path.of(value.substring(equals + 1));
    String ranOnType = type;
    Integer ranOnTp = tensorParallel;
    // The parser's messages name the file and the line already.
    return InputFiles.parse(spec, "--benchmark", file, reader -> {
      try {
        return withFlagNames(
            () -> BenchmarkFiles.parse(file.toString(), reader, ranOnType, ranOnTp));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--benchmark " + e.getMessage());
      }
    });
  }

  /** The policy JSON alone on stdout, to pipe into a file; what it is for on stderr. */
  private void emitPolicy(PrintWriter out, SizingRequest request, SizingReport report,
      TrafficProfile traffic) {
    Candidate chosen = report.cheapest().orElseThrow(() -> new ParameterException(
        spec.commandLine(), "--emit-policy: no instance type serves the target within the SLO"));
    double peak = targetRps != null ? targetRps : traffic.peakRps();
    double held = utilisation != null ? utilisation : SuggestedPolicy.DEFAULT_UTILISATION;
    SuggestedPolicy policy = withFlagNames(() -> SuggestedPolicy.of(request, chosen,
        traffic == null ? 0 : traffic.quietRps(), peak, held));
    out.println(policy.toPolicyJson());
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    report.notes().forEach(note -> err.println("Note: " + note));
    err.printf(Locale.ROOT, "Policy for %s x %d (TP %d, %d %s an instance, %s): held at %s of"
            + " %s req/s an instance; %s to %s instances for %s req/s at peak; cold start %d min"
            + " (estimated from %s GB of weights: replace it with yours).%n",
        chosen.instanceType(), chosen.instances(), chosen.tensorParallel(), chosen.copies(),
        chosen.copies() == 1 ? "copy" : "copies", chosen.throughput().basis(),
        Quantities.plain(held), Quantities.plain(policy.maxRpsPerInstance()), policy.minInstances(),
        policy.maxInstances(), Quantities.plain(Math.round(peak * 1000) / 1000.0),
        policy.coldStartMinutes(), report.weightsGB());
    err.println("Template parameters: " + policy.templateParameters());
    err.flush();
  }

  private ModelSpec resolveModel() {
    if (model.name != null) {
      ModelCatalog known = ModelCatalog.builtIn();
      return known
          .find(model.name)
          .orElseThrow(
              () ->
                  new ParameterException(
                      spec.commandLine(),
                      "--model: unknown model '" + model.name + "'; known models: "
                          + String.join(", ", known.names())
                          + " (or give --model-file, or --params-b with --layers, --kv-heads,"
                          + " --head-dim)"));
    }
    if (model.file != null) {
      return fromFile("--model-file", model.file, ModelCatalog::parseModel);
    }
    CustomModel custom = model.custom;
    return new ModelSpec(
        custom.name, null, custom.parametersBillions, custom.layers, custom.kvHeads, custom.headDim);
  }

  /** Turns a core rejection into a usage error naming the flag the user typed. */
  private <T> T withFlagNames(Supplier<T> build) {
    try {
      return build.get();
    } catch (InvalidSizingInputException e) {
      String flag = FLAGS.getOrDefault(e.field(), e.field());
      throw new ParameterException(spec.commandLine(), flag + " " + e.problem());
    }
  }

  /** A JSON file parsed by core; any problem becomes a usage error naming the flag and file. */
  private <T> T fromFile(String flag, Path file, BiFunction<String, Reader, T> parser) {
    return InputFiles.parse(
        spec,
        flag,
        file,
        reader -> {
          try {
            return parser.apply(file.toString(), reader);
          } catch (InvalidSizingInputException e) {
            throw new ParameterException(
                spec.commandLine(), flag + " " + file + ": " + e.getMessage());
          } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), flag + " " + e.getMessage());
          }
        });
  }

  private static void printTable(
      PrintWriter out, SizingRequest request, SizingReport report, InstanceCatalog catalog) {
    ModelSpec model = request.model();
    double sequenceGB = (double) report.kvBytesPerToken() * request.contextTokens() / 1e9;
    out.printf(
        Locale.ROOT,
        "%s: %s B parameters; %s weights %s GB%n",
        model.name(),
        model.parametersBillions(),
        request.precision(),
        report.weightsGB());
    out.printf(
        Locale.ROOT,
        "KV cache (%s): %d KiB per token, %.2f GB per %d-token sequence, %.1f GB for %d sequences%n",
        request.kvPrecision(),
        report.kvBytesPerToken() / 1024,
        sequenceGB,
        request.contextTokens(),
        sequenceGB * request.concurrentSequences(),
        request.concurrentSequences());
    Workload workload = report.workload();
    out.printf(
        Locale.ROOT,
        "Requests of %s prompt + %s output tokens within TTFT p95 %s ms and ITL %s ms;"
            + " %s%% of accelerator memory kept for the runtime%n",
        Quantities.plain(Math.round(workload.meanInputTokens())),
        Quantities.plain(Math.round(workload.meanOutputTokens())),
        Quantities.plain(workload.ttftSloMs()),
        Quantities.plain(workload.itlSloMs()),
        Quantities.plain(request.runtimeOverheadPercent()));
    TrafficProfile traffic = report.traffic();
    Throughput rate = request.throughput();
    out.printf(Locale.ROOT, "%s%n%n", rate != null && rate.rpsPerInstance() != null
        ? String.format(Locale.ROOT, "Fleet for %s req/s at %s req/s per instance (one figure"
            + " for every type)", Quantities.plain(rate.targetRps()),
            Quantities.plain(rate.rpsPerInstance()))
        : rate != null ? "Fleet for " + Quantities.plain(rate.targetRps()) + " req/s"
        : traffic != null ? String.format(Locale.ROOT, "Fleet for %s: peak %.2f req/s, median"
            + " %.2f req/s", traffic.name(), traffic.peakRps(), traffic.medianRps())
        : "One instance each (no --target-rps or --trace)");

    Map<String, InstanceType> types =
        catalog.instances().stream()
            .collect(Collectors.toMap(InstanceType::name, Function.identity(), (a, b) -> a));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"INSTANCE TYPE", "ACCELERATORS", "TP", "COPIES", "KV GB", "MAX SEQS",
        "RPS/COPY", "ESTIMATE", "INSTANCES", "FLEET $/H", "$/M TOKENS",
        traffic == null ? "" : "AT MEDIAN: N, $/H", ""});
    boolean anyEstimate = false;
    for (Candidate candidate : report.candidates()) {
      InstanceType type = types.get(candidate.instanceType());
      boolean estimate = candidate.fits() && type.priceEstimated();
      anyEstimate |= estimate;
      String star = estimate ? "*" : " ";
      rows.add(new String[] {
        candidate.instanceType(),
        type.describeAccelerators(type.accelerators()),
        candidate.fits() ? candidate.tensorParallel().toString() : "-",
        candidate.fits() ? candidate.copies().toString() : "-",
        String.format(Locale.ROOT, "%.2f", candidate.kvCacheGB()),
        Long.toString(candidate.maxConcurrentSequences()),
        rps(candidate.throughput()),
        rps(candidate.estimate()),
        candidate.instances() != null ? candidate.instances().toString() : "-",
        candidate.hourlyCost() != null
            ? String.format(Locale.ROOT, "%.2f%s", candidate.hourlyCost(), star) : "- ",
        candidate.costPerMillionTokens() != null
            ? String.format(Locale.ROOT, "%.3f%s", candidate.costPerMillionTokens(), star) : "- ",
        traffic == null ? "" : candidate.hourlyCostAtMedian() != null
            ? String.format(Locale.ROOT, "%d, %.2f%s", candidate.instancesAtMedian(),
                candidate.hourlyCostAtMedian(), star) : "- ",
        !candidate.fits() ? "does not fit: " + candidate.reason()
            : candidate.reason() != null ? candidate.reason() : ""
      });
    }
    printAligned(out, rows, TABLE_MIN_WIDTHS, TABLE_LEFT_ALIGNED);
    out.printf(Locale.ROOT, "%nRPS/COPY: m measured (your --benchmark), e estimated from"
        + " bandwidth and FLOPs (docs/SIZING.md), g given (--rps-per-instance); ESTIMATE: the"
        + " estimate beside it.%n");
    report.notes().forEach(note -> out.println("Note: " + note));
    report.cheapest().ifPresent(c -> out.printf(Locale.ROOT,
        "Cheapest at %s: %s, %d x %.2f $/h%n", traffic == null && rate == null ? "one instance"
            : "the target", c.instanceType(), c.instances(), c.hourlyCost()));
    report.cheapestAtMedian().ifPresent(c -> out.printf(Locale.ROOT,
        "Cheapest at the median minute: %s, %d x %.2f $/h%n", c.instanceType(),
        c.instancesAtMedian(), c.hourlyCostAtMedian()));
    out.printf(
        Locale.ROOT,
        "Prices: on-demand, %s, compiled %s%s. Override with --instances FILE.%n",
        catalog.region(),
        catalog.pricesCompiled(),
        anyEstimate ? "; * marks an estimate, not an AWS figure" : "");
  }

  /** One copy's requests per second with its basis' initial: {@code 3.41e}, {@code 2.90m}. */
  private static String rps(SloThroughput figure) {
    return figure == null ? "-" : String.format(Locale.ROOT, "%.2f%s", figure.rpsPerCopy(),
        figure.basis().substring(0, 1));
  }

  /** Rows in columns two spaces apart, each as wide as its widest cell. */
  private static void printAligned(
      PrintWriter out, List<String[]> rows, int[] minWidths, boolean[] leftAligned) {
    int[] widths = minWidths.clone();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String padding = " ".repeat(widths[i] - row[i].length());
        line.append(i == 0 ? "" : "  ")
            .append(leftAligned[i] ? row[i] + padding : padding + row[i]);
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
