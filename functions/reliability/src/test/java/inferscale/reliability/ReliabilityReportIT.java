package inferscale.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;

/**
 * Runs after the scenarios (failsafe, integration-test phase): docs/RELIABILITY.md must be exactly
 * what this run's scenarios produced, so the report cannot drift from the suite. With
 * {@code -Dinferscale.reliability.update=true} it writes the file instead.
 */
class ReliabilityReportIT {
  private static final Path COMMITTED = Path.of("..", "..", "docs", "RELIABILITY.md");

  @Test
  void theCommittedReportIsWhatTheSuiteProduced() throws Exception {
    assertTrue(Files.isRegularFile(ScenarioLog.REPORT),
        ScenarioLog.REPORT + " is missing: the scenario tests did not run");
    String produced = Files.readString(ScenarioLog.REPORT);
    if (Boolean.getBoolean("inferscale.reliability.update")) {
      Files.copy(ScenarioLog.REPORT, COMMITTED, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    String committed = Files.isRegularFile(COMMITTED) ? Files.readString(COMMITTED) : "";
    assertEquals(produced, committed, "docs/RELIABILITY.md differs from what the reliability "
        + "suite produced (" + ScenarioLog.REPORT.toAbsolutePath() + "); regenerate with "
        + "mvn -B verify -Dinferscale.reliability.update=true and commit it");
  }
}
