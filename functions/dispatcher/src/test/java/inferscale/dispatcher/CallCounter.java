package inferscale.dispatcher;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every AWS call this test JVM makes, by service and operation: the SDK loads it for every
 * client (software/amazon/awssdk/global/handlers/execution.interceptors), so the fleet's calls
 * are counted as the functions make them.
 */
public final class CallCounter implements ExecutionInterceptor {
  private static final Map<String, AtomicLong> CALLS = new ConcurrentHashMap<>();
  private static final AtomicLong WAITED_NANOS = new AtomicLong();
  private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("started");

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String call = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
        + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    CALLS.computeIfAbsent(call, c -> new AtomicLong()).incrementAndGet();
    attributes.putAttribute(STARTED, System.nanoTime());
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    WAITED_NANOS.addAndGet(System.nanoTime() - attributes.getAttribute(STARTED));
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context,
      ExecutionAttributes attributes) {
    WAITED_NANOS.addAndGet(System.nanoTime() - attributes.getAttribute(STARTED));
  }

  /** Seconds spent in AWS calls (waiting on the emulator) since the last reset. */
  static double waitedSeconds() {
    return WAITED_NANOS.get() / 1e9;
  }

  /** The calls since the last reset, by service:operation, in order. */
  static Map<String, Long> calls() {
    Map<String, Long> calls = new TreeMap<>();
    CALLS.forEach((call, count) -> calls.put(call, count.get()));
    return calls;
  }

  static void reset() {
    CALLS.clear();
    WAITED_NANOS.set(0);
  }
}
