package inferscale.cli;

import inferscale.sizing.Candidate;
import inferscale.sizing.InstanceCatalog;
import inferscale.sizing.InstanceType;
import inferscale.sizing.InvalidSizingInputException;
import inferscale.sizing.KvPrecision;
import inferscale.sizing.ModelCatalog;
import inferscale.sizing.ModelSpec;
import inferscale.sizing.Quantities;
import inferscale.sizing.Sizer;
import inferscale.sizing.SizingReport;
import inferscale.sizing.SizingRequest;
import inferscale.sizing.Throughput;
import inferscale.sizing.WeightPrecision;
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
          + " the KV cache of the requested concurrency fit in GPU memory, on how few"
          + " tensor-parallel GPUs, how many sequences fit, and what the fleet costs per hour."
          + " Cheapest fit first; the others say why they do not fit.",
      "Weights = parameters x bytes per weight. KV per token = 2 x layers x KV heads x head dim"
          + " x bytes per element. See docs/SIZING.md.",
      ""
    })
final class Size implements Callable<Integer> {

  /** Core field names as the user typed them, so errors name the flag that was wrong. */
  private static final Map<String, String> FLAGS =
      Map.of(
          "name", "--name",
          "parametersBillions", "--params-b",
          "layers", "--layers",
          "kvHeads", "--kv-heads",
          "headDim", "--head-dim",
          "contextTokens", "--context",
          "concurrentSequences", "--concurrency",
          "runtimeOverheadPercent", "--overhead-percent",
          "targetRps", "--target-rps",
          "rpsPerInstance", "--rps-per-instance");

  /** Table columns are at least this wide, so that the usual table keeps its shape. */
  private static final int[] TABLE_MIN_WIDTHS = {0, 11, 3, 9, 8, 9, 10, 0};

  private static final boolean[] TABLE_LEFT_ALIGNED =
      {true, true, false, false, false, false, false, true};

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

  @ArgGroup(exclusive = false, heading = "Fleet size (both or neither; without them one instance):%n")
  Rate rate;

  static final class Rate {
    @Option(names = "--target-rps", required = true, paramLabel = "R",
        description = "Requests per second the fleet must serve.")
    double targetRps;

    @Option(names = "--rps-per-instance", required = true, paramLabel = "P",
        description = "Requests per second one instance serves within your latency SLO:"
            + " a figure you benchmark.")
    double rpsPerInstance;
  }

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
    InstanceCatalog catalog =
        instancesFile == null
            ? InstanceCatalog.builtIn()
            : fromFile("--instances", instancesFile, InstanceCatalog::parse);
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
                    rate == null ? null : new Throughput(rate.targetRps, rate.rpsPerInstance)));
    SizingReport report = Sizer.size(request, catalog.instances());
    PrintWriter out = spec.commandLine().getOut();
    if (format == Format.JSON) {
      out.println(report.toJson());
    } else {
      printTable(out, request, report, catalog);
    }
    out.flush();
    return 0;
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
    out.printf(
        Locale.ROOT,
        "%s%% of GPU memory kept for the runtime; %s%n%n",
        Quantities.plain(request.runtimeOverheadPercent()),
        request.throughput() == null
            ? "one instance each (no --target-rps)"
            : String.format(
                Locale.ROOT,
                "fleet for %s req/s at %s req/s per instance",
                Quantities.plain(request.throughput().targetRps()),
                Quantities.plain(request.throughput().rpsPerInstance())));

    Map<String, InstanceType> types =
        catalog.instances().stream()
            .collect(Collectors.toMap(InstanceType::name, Function.identity(), (a, b) -> a));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"INSTANCE TYPE", "GPUS", "TP", "KV GB", "MAX SEQS", "INSTANCES",
        "FLEET $/H", ""});
    boolean anyEstimate = false;
    for (Candidate candidate : report.candidates()) {
      InstanceType type = types.get(candidate.instanceType());
      boolean estimate = candidate.fits() && type.priceEstimated();
      anyEstimate |= estimate;
      rows.add(new String[] {
        candidate.instanceType(),
        type.describeAccelerators(type.accelerators()),
        candidate.fits() ? candidate.tensorParallel().toString() : "-",
        String.format(Locale.ROOT, "%.2f", candidate.kvCacheGB()),
        Long.toString(candidate.maxConcurrentSequences()),
        candidate.fits() ? candidate.instances().toString() : "-",
        candidate.fits()
            ? String.format(Locale.ROOT, "%.2f%s", candidate.hourlyCost(), estimate ? "*" : " ")
            : "- ",
        candidate.fits() ? "" : "does not fit: " + candidate.reason()
      });
    }
    printAligned(out, rows, TABLE_MIN_WIDTHS, TABLE_LEFT_ALIGNED);
    out.printf(
        Locale.ROOT,
        "%nPrices: on-demand, %s, compiled %s%s. Override with --instances FILE.%n",
        catalog.region(),
        catalog.pricesCompiled(),
        anyEstimate ? "; * marks an estimate, not an AWS figure" : "");
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
