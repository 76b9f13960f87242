import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/**
 * Constructs a handler as Lambda's Java runtime does, then loads any further classes named, and
 * says what it loaded from where.
 */
public class LoadHandler {
  public static void main(String[] args) throws Exception {
    Class<?> type = Class.forName(args[0]);
    Object handler = type.getConstructor().newInstance();
    if (!(handler instanceof RequestStreamHandler)) {
      throw new IllegalStateException(args[0] + " is not a RequestStreamHandler");
    }
    for (int i = 0; i < args.length; i++) {
      Class<?> loaded = i == 0 ? type : Class.forName(args[i]);
      System.out.println("loaded " + args[i] + " from "
          + loaded.getProtectionDomain().getCodeSource().getLocation());
    }
  }
}
