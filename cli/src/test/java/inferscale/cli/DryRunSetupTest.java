package inferscale.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dry-run without the AWS settings it needs: one line saying what to set, exit code 1. Each run
 * gets a clean environment, an empty home (no ~/.aws) and no instance metadata to fall back on.
 */
class DryRunSetupTest {
  @TempDir Path home;

  private CliProcess dryRun(Map<String, String> settings) throws Exception {
    Map<String, String> environment = new HashMap<>(settings);
    environment.put("HOME", home.toString());
    environment.put("AWS_EC2_METADATA_DISABLED", "true");
    return CliProcess.of(home, environment, "dry-run", "--endpoint", "my-endpoint");
  }

  private static Map<String, String> withKeys(String name, String value) {
    return Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY", "secret", name, value);
  }

  private static void assertOneLine(String expected, CliProcess run) {
    assertEquals(1, run.exitCode(), run.err());
    assertEquals("", run.out());
    assertEquals(expected + System.lineSeparator(), run.err());
  }

  @Test
  void noRegion() throws Exception {
    assertOneLine("error: no AWS region: set AWS_REGION (e.g. AWS_REGION=us-east-1), or a region"
        + " in your AWS profile", dryRun(Map.of()));
  }

  @Test
  void noCredentials() throws Exception {
    assertOneLine("error: no AWS credentials: set AWS_PROFILE to a profile that has them"
        + " (aws configure, aws sso login), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        dryRun(Map.of("AWS_REGION", "eu-west-1")));
  }

  @Test
  void anEndpointUrlThatIsNoUrl() throws Exception {
    assertOneLine("error: AWS_ENDPOINT_URL is 'localhost:5000', not a URL: set it to one like"
        + " http://localhost:5000, or unset it to call AWS",
        dryRun(withKeys("AWS_ENDPOINT_URL", "localhost:5000")));
  }

  @Test
  void anEndpointNothingAnswersAt() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort;
    assertOneLine("error: cannot reach " + url + " (Connection refused), set by AWS_ENDPOINT_URL:"
        + " check that URL, or unset AWS_ENDPOINT_URL to call AWS",
        dryRun(withKeys("AWS_ENDPOINT_URL", url)));
  }
}
