package inferscale.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.aws.ScalerWiring;
import inferscale.aws.testing.AwsEmulator;
import inferscale.reliability.FaultProxy;
import inferscale.reliability.Outcome;
import inferscale.reliability.Scenario;
import inferscale.scaler.ScalerHarness.Invocation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The same event twice, two cycles at once, and an invocation about to time out. */
@ExtendWith(AwsEmulator.class)
class ConcurrencyAndDeadlineTest {
  private static final String UPDATE = "UpdateEndpointWeightsAndCapacities";
  private ScalerHarness h;

  @BeforeEach
  void setUp(AwsEmulator.Running emulator) throws Exception {
    h = new ScalerHarness(emulator).endpoint(2, Map.of()).traffic(10.0);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private String scheduledEnvelope() {
    return "{\"version\":\"0\",\"id\":\"5e2d4c1a-0000-4000-8000-000000000001\","
        + "\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\","
        + "\"account\":\"123456789012\",\"time\":\"2026-01-01T00:00:00Z\",\"region\":\"us-east-1\","
        + "\"resources\":[],\"detail\":" + h.event() + "}";
  }

  private List<Integer> requestedCounts() {
    return h.proxy.calls(UPDATE).stream().map(c -> Integer.parseInt(
        c.body().replaceAll(".*\"DesiredInstanceCount\":(\\d+).*", "$1"))).toList();
  }

  @Test
  @Scenario(area = "Concurrency", value = "The same scheduled event delivered twice")
  void duplicateDelivery(Outcome outcome) {
    ScalerHandler handler = h.handler();
    Invocation first = h.invoke(handler, scheduledEnvelope());
    Invocation second = h.invoke(handler, scheduledEnvelope());
    assertNull(first.escaped());
    assertNull(second.escaped());
    assertTrue(first.applied(), first.summary());
    assertEquals(5, h.desired());
    long succeeded = h.proxy.calls(UPDATE).stream().filter(c -> c.status() == 200).count();
    assertTrue(succeeded <= 2 && requestedCounts().stream().allMatch(c -> c == 5),
        requestedCounts().toString());
    outcome.did("first: " + first.summary() + "; second: " + second.summary() + "; "
        + h.after(2, UPDATE) + ", every update for the same count " + requestedCounts());
  }

  @Test
  @Scenario(area = "Concurrency", value = "Two overlapping invocations for one endpoint (both "
      + "read before either updates; SageMaker refuses the second update while Updating)")
  void overlappingInvocations(Outcome outcome) throws Exception {
    CyclicBarrier bothRead = new CyclicBarrier(2);
    AtomicBoolean updating = new AtomicBoolean();
    h.proxy.on("sagemaker", UPDATE, (request, forward) -> {
      try {
        bothRead.await(10, TimeUnit.SECONDS); // both cycles decided on the same snapshot
      } catch (Exception e) {
        // one cycle did not get this far: let it through alone
      }
      synchronized (updating) {
        if (updating.get()) {
          return FaultProxy.error(request, 400, "ValidationException",
              "Cannot update in-progress endpoint");
        }
        FaultProxy.Reply reply = forward.forward();
        h.emulator.setEndpointStatus(h.endpoint, "Updating"); // as SageMaker does
        updating.set(true);
        return reply;
      }
    });
    ScalerHandler a = h.handler();
    ScalerHandler b = h.handler();
    CompletableFuture<Invocation> one =
        CompletableFuture.supplyAsync(() -> h.invoke(a, h.event()));
    CompletableFuture<Invocation> two =
        CompletableFuture.supplyAsync(() -> h.invoke(b, h.event()));
    Invocation x = one.get(60, TimeUnit.SECONDS);
    Invocation y = two.get(60, TimeUnit.SECONDS);
    assertNull(x.escaped());
    assertNull(y.escaped());
    assertEquals(1, h.proxy.calls(UPDATE).stream().filter(c -> c.status() == 200).count());
    assertEquals(1, (x.applied() ? 1 : 0) + (y.applied() ? 1 : 0), x.summary() + y.summary());
    assertTrue(requestedCounts().stream().allMatch(c -> c == 5), requestedCounts().toString());
    assertEquals(5, h.desired());
    Invocation applied = x.applied() ? x : y;
    Invocation refused = x.applied() ? y : x;
    outcome.did("one: " + applied.summary() + "; the other: " + refused.summary() + "; "
        + h.after(2) + "; both asked for " + requestedCounts());
  }

  @Test
  @Scenario(area = "Deadline", value = "5 s of the invocation left when the update is due")
  void deadline(Outcome outcome) {
    Invocation run = h.invoke(h.handler(), h.event(), ScalerHarness.remaining(Duration.ofSeconds(5)));
    assertNull(run.escaped());
    assertEquals(List.of("NOT_ENOUGH_TIME"), run.notApplied());
    assertEquals(0, h.proxy.calls(UPDATE).size());
    assertEquals(2, h.desired());
    assertTrue(h.log.stream().anyMatch(l -> l.contains("ms left")), h.log.toString());
    outcome.did(run.summary() + "; " + h.after(2, UPDATE) + "; the result and EMF lines logged");
  }

  @Test
  @Scenario(area = "Deadline", value = "Exactly the update budget left (17 s)")
  void justEnoughTime(Outcome outcome) {
    Invocation run = h.invoke(h.handler(), h.event(),
        ScalerHarness.remaining(ScalerWiring.updateBudget(ScalerHarness.PRODUCTION)));
    assertNull(run.escaped());
    assertTrue(run.applied(), run.summary());
    assertEquals(5, h.desired());
    outcome.did(run.summary() + "; " + h.after(2, UPDATE));
  }
}
