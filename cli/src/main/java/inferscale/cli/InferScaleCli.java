package inferscale.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code inferscale.jar}: local commands that drive the same core as the Lambda functions. */
@Command(
    name = "inferscale",
    mixinStandardHelpOptions = true,
    versionProvider = InferScaleCli.Version.class,
    description = {
      "Autoscaler for SageMaker LLM inference endpoints.",
      "Run a command with --help to see its options."
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      BacktestCommand.class,
      DryRunCommand.class,
      ForecastEvalCommand.class,
      Size.class
    })
public final class InferScaleCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and the tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new InferScaleCli()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = InferScaleCli.class.getPackage().getImplementationVersion();
      return new String[] {"inferscale " + (version == null ? "development build" : version)};
    }
  }
}
