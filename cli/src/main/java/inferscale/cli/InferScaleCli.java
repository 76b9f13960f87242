package inferscale.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import inferscale.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/** Entry point of {@code inferscale.jar}: local commands that drive the same core as the Lambda functions. */
@Command(
    name = "inferscale",
    // Subcommands inherit the version and the exit codes.
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = InferScaleCli.Version.class,
    description = {
      "Autoscaler for SageMaker LLM inference endpoints.",
      "Run a command with --help to see its options."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:failed while running: AWS not set up or unreachable, a file not written, nothing to"
          + " evaluate",
      "2:invalid input: an option, or a file an option names; the message says which"
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      BacktestCommand.class,
      DryRunCommand.class,
      ForecastEvalCommand.class,
      ReportCommand.class,
      Size.class
    })
public final class InferScaleCli implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and the tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new InferScaleCli())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(InferScaleCli::usageError);
  }

  /** No command: the usage, on stderr, as for any other missing input. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return spec.exitCodeOnInvalidInput();
  }

  /**
   * A command's {@code --policy}: policy overrides as a schedule payload gives them, or null.
   *
   * @throws ParameterException naming --policy when it is not JSON
   */
  static JsonNode policyJson(CommandLine.Model.CommandSpec spec, String policy) {
    if (policy == null) {
      return null;
    }
    if (policy.isBlank()) {
      // An unset shell variable, most likely: not the same as leaving --policy out.
      throw new ParameterException(spec.commandLine(),
          "--policy is empty: give a JSON object, or leave --policy out for the defaults");
    }
    JsonNode json = optionJson(spec, "--policy", policy);
    if (!json.isObject()) {
      // JSON null too: leaving --policy out is how the defaults are asked for.
      throw new ParameterException(spec.commandLine(),
          "--policy must be a JSON object, got " + json);
    }
    return json;
  }

  /** An option's JSON text, read; a usage error naming the option and where the text went wrong. */
  static JsonNode optionJson(CommandLine.Model.CommandSpec spec, String option, String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new ParameterException(spec.commandLine(),
          option + " is not valid JSON: " + Json.problem(e) + Json.location(e));
    }
  }

  /**
   * A note for each deprecated flat field a policy used, naming where the policy came from: the
   * {@code --policy} flag, else the deployed stack.
   */
  static List<String> deprecationNotes(Map<String, String> fields, boolean fromFlag) {
    String source = fromFlag ? "--policy" : "the deployed policy's";
    return fields.entrySet().stream().map(field -> "note: " + source + " field " + field.getKey()
        + " is deprecated; give it as " + field.getValue()).toList();
  }

  /** A command failed while running (exit 1): the problem in one line on stderr. */
  static int failed(CommandLine.Model.CommandSpec spec, String problem) {
    spec.commandLine().getErr().println("error: " + problem);
    spec.commandLine().getErr().flush();
    return 1;
  }

  /** The problem in one line and where to read more, rather than the whole usage help. */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** The version Maven records in the jar; none when running from the build's classes. */
  static final class Version implements CommandLine.IVersionProvider {
    static final String POM_PROPERTIES =
        "/META-INF/maven/io.github.inferscale/inferscale-cli/pom.properties";

    @Override
    public String[] getVersion() throws IOException {
      return new String[] {
        "inferscale " + version(InferScaleCli.class.getResourceAsStream(POM_PROPERTIES))
      };
    }

    /** @param pomProperties the jar's Maven properties, or null outside a jar */
    static String version(InputStream pomProperties) throws IOException {
      if (pomProperties == null) {
        return "(development build, not packaged)";
      }
      try (InputStream in = pomProperties) {
        Properties properties = new Properties();
        properties.load(in);
        return properties.getProperty("version", "(no version recorded in the jar)");
      }
    }
  }
}
