package inferscale.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every command shares: usage errors, exit codes, the version. */
class InferScaleCliTest {

  @Test
  void aUsageErrorIsTheProblemAndAPointerToHelp() {
    CliRun unknown = CliRun.of("backtest", "--bogus");
    assertEquals(2, unknown.exitCode());
    assertEquals("", unknown.out());
    assertEquals(List.of("Unknown option: '--bogus'", "Run 'inferscale backtest --help' for usage."),
        unknown.err().lines().toList());

    CliRun missing = CliRun.of("dry-run");
    assertEquals(2, missing.exitCode());
    assertEquals(List.of("Missing required option: '--endpoint=NAME'",
        "Run 'inferscale dry-run --help' for usage."), missing.err().lines().toList());

    // No command at all is missing input too: the usage, on stderr.
    CliRun none = CliRun.of();
    assertEquals(2, none.exitCode());
    assertEquals("", none.out());
    assertTrue(none.err().startsWith("Usage: inferscale"), none.err());
  }

  @Test
  void aMistypedOptionAlsoGetsTheLikelyOne() {
    CliRun typo = CliRun.of("backtest", "--trac", "x.csv");
    assertEquals(2, typo.exitCode());
    List<String> lines = typo.err().lines().toList();
    assertEquals(List.of("Unknown options: '--trac', 'x.csv'", "Possible solutions: --trace",
        "Run 'inferscale backtest --help' for usage."), lines);
  }

  @Test
  void everyCommandsHelpListsTheExitCodes() {
    // picocli warns on System.err, not the command's writer, when a description will not format.
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
    java.io.PrintStream err = System.err;
    System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      for (String command : List.of("backtest", "dry-run", "forecast-eval", "report", "size")) {
        CliRun help = CliRun.of(command, "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("Exit codes:"), help.out());
        assertTrue(help.out().matches("(?s).*\\n +2 +invalid input.*"), help.out());
      }
    } finally {
      System.setErr(err);
    }
    assertEquals("", warnings.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void everyCommandPrintsTheSameVersion() {
    CliRun top = CliRun.of("--version");
    assertEquals(0, top.exitCode());
    assertEquals(1, top.out().lines().count(), top.out());
    assertTrue(top.out().startsWith("inferscale "), top.out());
    for (String command : List.of("backtest", "dry-run", "forecast-eval", "size")) {
      assertEquals(top.out(), CliRun.of(command, "--version").out(), command);
    }
  }

  @Test
  void theVersionIsTheOneMavenRecordedInTheJar() throws Exception {
    byte[] properties = "groupId=io.github.inferscale\nversion=1.4.2\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    assertEquals("1.4.2", InferScaleCli.Version.version(new ByteArrayInputStream(properties)));
    assertEquals("(development build, not packaged)", InferScaleCli.Version.version(null));
  }
}
