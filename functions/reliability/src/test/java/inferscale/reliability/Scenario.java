package inferscale.reliability;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A reliability scenario: the test's name in docs/RELIABILITY.md. The test says what the controller
 * did through an injected {@link Outcome}; {@link ScenarioLog} records it with the test's result.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ExtendWith(ScenarioLog.class)
public @interface Scenario {
  /** The table section: Faults, Metric data, Endpoint state, Concurrency, Deadline, ... */
  String area();

  /** What is done to the controller; a parameterized test may refine it with {@link Outcome#name}. */
  String value();
}
