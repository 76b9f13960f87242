package inferscale.cli;

import inferscale.trace.SyntheticTraces;
import inferscale.trace.Trace;
import inferscale.trace.TraceCsv;
import inferscale.trace.TraceFormatException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Loads the trace a command was given, or the built-in one shipped in the jar. */
final class Traces {
  static final String BUILT_IN = "nasa_http_1995_per_minute.csv";
  /** How a {@code --trace} value names a generated family instead of a file. */
  static final String SYNTHETIC_PREFIX = "synthetic:";
  /** The sentence every {@code --trace} help ends with. */
  static final String SYNTHETIC_HELP = " Or synthetic:NAME[:SEED], a seeded 14-day family generated"
      + " in memory: llm-fleet-steps, llm-fleet-drift, bursty-web, multimodal, new-client, holiday,"
      + " growth, office-hours (default seed 2026).";

  private Traces() {}

  /**
   * The trace at {@code file}, the synthetic family it names, or the built-in trace when {@code
   * file} is null.
   */
  static Trace load(CommandSpec spec, Path file) {
    if (file != null && file.toString().startsWith(SYNTHETIC_PREFIX)) {
      return synthetic(spec, file.toString().substring(SYNTHETIC_PREFIX.length()));
    }
    if (file == null) {
      InputStream resource = Traces.class.getResourceAsStream("/traces/" + BUILT_IN);
      if (resource == null) {
        throw new IllegalStateException("built-in trace " + BUILT_IN + " is missing from the jar");
      }
      return TraceCsv.parse(
          "built-in:" + BUILT_IN, new InputStreamReader(resource, StandardCharsets.UTF_8));
    }
    try {
      return InputFiles.parse(spec, "--trace", file, reader -> TraceCsv.parse(file.toString(), reader));
    } catch (TraceFormatException e) {
      throw new ParameterException(spec.commandLine(), "--trace: " + e.getMessage());
    }
  }

  private static Trace synthetic(CommandSpec spec, String nameAndSeed) {
    String[] parts = nameAndSeed.split(":", -1);
    long seed = SyntheticTraces.DEFAULT_SEED;
    try {
      if (parts.length > 2) {
        throw new IllegalArgumentException("expected synthetic:NAME or synthetic:NAME:SEED");
      }
      if (parts.length == 2) {
        try {
          seed = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("the seed '" + parts[1] + "' is not a whole number");
        }
      }
      return SyntheticTraces.generate(parts[0], seed);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--trace " + SYNTHETIC_PREFIX + nameAndSeed
          + ": " + e.getMessage());
    }
  }
}
