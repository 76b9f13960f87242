import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What Lambda's Java runtime does on a cold start, and no more: construct the handler (the init
 * phase), invoke it once with the event file. With {@code -Dprime}, the handler's SnapStart
 * checkpoint hook runs between the two, as before a snapshot: the invocation is then what runs
 * after a restore. Prints when each step ended, in nanoseconds since the epoch, then the output.
 */
public class ColdStart {
  public static void main(String[] args) throws Exception {
    RequestStreamHandler handler =
        (RequestStreamHandler) Class.forName(args[0]).getConstructor().newInstance();
    System.out.println("INIT " + epochNanos());
    if (System.getProperty("prime") != null) {
      checkpointHook(handler).getClass().getMethod("beforeCheckpoint",
          Class.forName("org.crac.Context")).invoke(checkpointHook(handler), (Object) null);
      System.out.println("PRIMED " + epochNanos());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = new FileInputStream(args[1])) {
      handler.handleRequest(in, out, null);
    }
    System.out.println("DONE " + epochNanos());
    System.out.println(out.toString(StandardCharsets.UTF_8));
  }

  /** The org.crac resource the handler registered, which the runtime calls at a checkpoint. */
  private static Object checkpointHook(Object handler) throws ReflectiveOperationException {
    Field field = handler.getClass().getDeclaredField("priming");
    field.setAccessible(true);
    return field.get(handler);
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
