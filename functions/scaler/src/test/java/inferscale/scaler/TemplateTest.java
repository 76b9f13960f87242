package inferscale.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The SAM template must lint clean and point at this module's handler and jar. */
class TemplateTest {
  private static final Path ROOT = Path.of("..", "..");

  @Test
  void cfnLintPasses() throws Exception {
    Process lint;
    try {
      lint = new ProcessBuilder("cfn-lint", "template.yaml").directory(ROOT.toFile())
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("cfn-lint (1.51) must be on the PATH to check template.yaml: "
          + e.getMessage(), e);
    }
    String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(lint.waitFor(5, TimeUnit.MINUTES), "cfn-lint did not finish");
    assertEquals(0, lint.exitValue(), "cfn-lint template.yaml:\n" + output);
  }

  @Test
  void pointsAtTheShadedJarAndTheHandler() throws Exception {
    String template = Files.readString(ROOT.resolve("template.yaml"));
    assertTrue(template.contains("CodeUri: functions/scaler/target/inferscale-scaler.jar"));
    assertTrue(template.contains("Handler: " + ScalerHandler.class.getName() + "::handleRequest"));
    assertTrue(template.contains("cloudwatch:namespace: InferScale"));
    // The forecaster module has its own test of the class name; the jar path is checked here.
    assertTrue(template.contains(
        "CodeUri: functions/forecaster/target/inferscale-forecaster.jar"));
    assertTrue(template.contains(
        "Handler: inferscale.forecaster.ForecastHandler::handleRequest"));
  }
}
