package inferscale.scaler;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Loads the handler as Lambda does — public no-argument constructor, configuration only from the
 * environment — and invokes it once with the event file named on the command line.
 */
public final class ShadedJarMain {
  private ShadedJarMain() {}

  public static void main(String[] args) throws Exception {
    ScalerHandler handler = new ScalerHandler();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = new FileInputStream(args[0])) {
      handler.handleRequest(in, out, null);
    }
    System.out.println("RESULT " + out.toString(StandardCharsets.UTF_8));
  }
}
