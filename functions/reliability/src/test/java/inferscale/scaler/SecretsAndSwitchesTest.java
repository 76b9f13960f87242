package inferscale.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.aws.adapters.PauseTag;
import inferscale.aws.testing.AwsEmulator;
import inferscale.reliability.FaultProxy;
import inferscale.reliability.Outcome;
import inferscale.reliability.Scenario;
import inferscale.scaler.ScalerHarness.Invocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Credentials never reach logs or results; the pause tag and the global dry run hold. */
@ExtendWith(AwsEmulator.class)
class SecretsAndSwitchesTest {
  private static final String KEY_ID = "AKIACANARY7EXAMPLE42";
  private static final String SECRET = "canarySecret/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final String TOKEN = "canarySessionTokenIQoJb3JpZ2luX2VjEXAMPLE";
  private ScalerHarness h;

  @BeforeEach
  void setUp(AwsEmulator.Running emulator) throws Exception {
    h = new ScalerHarness(emulator);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  @Scenario(area = "Secrets", value = "Canary credentials (key id, secret, session token) in the "
      + "SDK settings and the function's environment; success, AWS errors and invalid input")
  void credentialsNeverLogged(Outcome outcome) {
    h.endpoint(2, Map.of()).traffic(10.0);
    Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET,
        "AWS_SESSION_TOKEN", TOKEN, "CAPACITY_CHECK", "none");
    List<String> seen = new ArrayList<>();
    String[] keys = {"aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken"};
    String[] before = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      before[i] = System.getProperty(keys[i]);
    }
    System.setProperty(keys[0], KEY_ID);
    System.setProperty(keys[1], SECRET);
    System.setProperty(keys[2], TOKEN);
    List<Invocation> runs = new ArrayList<>();
    try {
      ScalerHandler handler = h.handler(ScalerHarness.PRODUCTION, env);
      h.proxy.on("sagemaker", "UpdateEndpointWeightsAndCapacities", 1, FaultProxy.awsError(400,
          "ValidationException", "Cannot update in-progress endpoint"));
      runs.add(h.invoke(handler, h.event()));                       // update refused
      runs.add(h.invoke(handler, h.event()));                       // applied
      h.proxy.on("monitoring", "GetMetricData", FaultProxy.status(500));
      runs.add(h.invoke(handler, h.event()));                       // read failed
      runs.add(h.invoke(handler, "{\"endpointName\":\"not a name\"}")); // invalid input
    } finally {
      for (int i = 0; i < keys.length; i++) {
        if (before[i] == null) {
          System.clearProperty(keys[i]);
        } else {
          System.setProperty(keys[i], before[i]);
        }
      }
    }
    assertTrue(h.proxy.calls().size() > 0);
    seen.addAll(h.log);
    for (Invocation run : runs) {
      seen.add(String.valueOf(run.output()));
      seen.add(run.escaped() == null ? "" : String.valueOf(run.escaped().getMessage()));
    }
    String all = String.join("\n", seen);
    for (String secret : List.of(KEY_ID, SECRET, TOKEN)) {
      assertFalse(all.contains(secret), "a credential leaked into: " + all);
    }
    assertEquals(List.of("UPDATE_FAILED"), runs.get(0).notApplied());
    assertTrue(runs.get(1).applied());
    assertEquals("AWS_UNAVAILABLE", runs.get(2).reason());
    assertTrue(runs.get(3).escaped() instanceof inferscale.aws.invocation.InvalidRequestException);
    outcome.did("4 invocations (update refused; " + runs.get(1).summary()
        .replaceAll(" \\[.*\\]", "") + "; HOLD AWS_UNAVAILABLE; invalid input): " + h.log.size()
        + " log lines and every result searched, no key id, secret or session token found");
  }

  @Test
  @Scenario(area = "Pause and dry run", value = "Scaler: the endpoint has inferscale:paused = true")
  void pausedScaler(Outcome outcome) {
    h.endpoint(2, Map.of(PauseTag.KEY, "true")).traffic(10.0);
    Invocation run = h.invoke(h.handler(), h.event());
    assertDecidedButNothingWritten(run, "PAUSED", outcome);
  }

  @Test
  @Scenario(area = "Pause and dry run", value = "Scaler: the deployment's DRY_RUN = true, the "
      + "event says dryRun false")
  void dryRunScaler(Outcome outcome) {
    h.endpoint(2, Map.of()).traffic(10.0);
    Invocation run = h.invoke(h.handler(ScalerHarness.PRODUCTION, Map.of("DRY_RUN", "true")),
        h.event());
    assertDecidedButNothingWritten(run, "DRY_RUN", outcome);
  }

  /** The cycle ran and decided, left out the write for {@code reason}, and wrote nothing. */
  private void assertDecidedButNothingWritten(Invocation run, String reason, Outcome outcome) {
    assertNull(run.escaped());
    assertTrue(run.notApplied().contains(reason), run.summary());
    assertEquals(0, h.proxy.mutatingCalls().size());
    assertEquals(2, h.desired());
    outcome.did(run.summary() + "; " + h.after(2) + "; " + h.proxy.mutatingCalls().size()
        + " mutating calls");
  }
}
