package inferscale.cli;

import picocli.CommandLine.Option;

/** The variant a command reads live: {@code --endpoint} and {@code --variant}. */
final class EndpointVariantOptions {
  @Option(names = "--endpoint", required = true, paramLabel = "NAME",
      description = "SageMaker endpoint name.")
  String endpointName;

  @Option(names = "--variant", paramLabel = "NAME", defaultValue = "AllTraffic",
      description = "Production variant (default: ${DEFAULT-VALUE}).")
  String variantName;
}
