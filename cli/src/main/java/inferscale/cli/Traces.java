package inferscale.cli;

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

  private Traces() {}

  /** The trace at {@code file}, or the built-in trace when {@code file} is null. */
  static Trace load(CommandSpec spec, Path file) {
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
}
