package inferscale.aws;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import inferscale.aws.invocation.LogLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming. Lambda snapshots a function after its init phase and restores every cold
 * start from that snapshot; whatever the first invocation loads or initializes for the first time
 * (classes, the SDK's marshallers and signers, JSON, the engine) would be paid again after every
 * restore. So before the snapshot ({@link #beforeCheckpoint}, the {@code org.crac} hook Lambda
 * calls) the function runs one whole invocation of its own handler on its sample event, wired to
 * {@link AwsClientsModule#offline() offline clients}: it parses the request, reads, decides or
 * forecasts, builds and signs the SDK requests and serializes the result, and nothing leaves the
 * process. Not primed: what only a real call does (opening the TLS connection, resolving the
 * credentials); the default TLS context is loaded, though. It never fails the snapshot: a
 * failure is logged, and the function is only slower.
 */
public final class Priming implements Resource {
  private final Function<AwsClientsModule, RequestStreamHandler> handlerOn;
  private final byte[] event;
  private final Consumer<String> log;

  /**
   * One priming run.
   *
   * @param output what the handler returned, or null when the run failed
   * @param calls the AWS calls it made, answered offline
   */
  public record Run(String output, List<String> calls) {}

  private Priming(Function<AwsClientsModule, RequestStreamHandler> handlerOn, byte[] event,
      Consumer<String> log) {
    this.handlerOn = handlerOn;
    this.event = event;
    this.log = log;
  }

  /**
   * Registers priming with the runtime's checkpoint hooks. The runtime holds resources weakly:
   * keep the returned object referenced for the life of the function.
   *
   * @param handlerOn builds the function's handler on the given clients module (the offline
   *     one), with the deployment's own environment, so it primes what the function runs (a dry
   *     run, the capacity check or not); only at the checkpoint, so a function without SnapStart
   *     never pays for it
   * @param eventResource the sample event, a class-path resource of the handler's jar
   */
  public static Priming register(Function<AwsClientsModule, RequestStreamHandler> handlerOn,
      String eventResource, Consumer<String> log) {
    byte[] event;
    try (InputStream in = Priming.class.getResourceAsStream(eventResource)) {
      if (in == null) {
        throw new IllegalStateException("no " + eventResource + " on the class path");
      }
      event = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Priming priming = new Priming(handlerOn, event, log);
    Core.getGlobalContext().register(priming);
    return priming;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    prime();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to renew: the offline clients are never used again, the real ones resolve
    // credentials when they first sign.
  }

  /** One offline invocation, logged; a failure is logged too, never thrown. */
  public Run prime() {
    long start = System.nanoTime();
    OfflineHttpClient http = new OfflineHttpClient();
    try {
      // The offline client opens no connection; the real one's first HTTPS call needs this.
      SSLContext.getDefault();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handlerOn.apply(AwsClientsModule.offline(http))
          .handleRequest(new ByteArrayInputStream(event), out, null);
      log.accept(LogLine.info("primed for SnapStart: one offline invocation before the snapshot")
          .with("milliseconds", (System.nanoTime() - start) / 1_000_000)
          .with("calls", http.answered()).toString());
      return new Run(out.toString(StandardCharsets.UTF_8), http.answered());
    } catch (IOException | GeneralSecurityException | RuntimeException | LinkageError e) {
      log.accept(LogLine.warn("priming failed: the first invocation after each restore loads what"
          + " it would have loaded").with("error", String.valueOf(e)).toString());
      return new Run(null, http.answered());
    }
  }
}
