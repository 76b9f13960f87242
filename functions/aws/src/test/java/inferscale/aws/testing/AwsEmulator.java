package inferscale.aws.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * JUnit 5 extension that gives AWS tests a local AWS API server and points the SDK at it.
 *
 * <p>Where Docker is available it starts LocalStack ({@value #LOCALSTACK_IMAGE}) with
 * Testcontainers; otherwise it starts moto itself: {@code moto_ext.py} (moto plus the EC2
 * capacity-reservation calls, see that file) under the {@code python3} that has moto, or plain
 * {@code moto_server} if that python cannot import moto. Either way on a free loopback port, waiting
 * until it answers, resetting it before each test and killing it when the test run ends. Set
 * {@code INFERSCALE_EMULATOR=moto} or {@code localstack} to choose explicitly. Note that SageMaker
 * is a LocalStack Pro service: with the community image the SageMaker tests fail (they are not
 * skipped); give {@code INFERSCALE_LOCALSTACK_IMAGE} (a Pro image) and
 * {@code LOCALSTACK_AUTH_TOKEN}, or choose moto.
 *
 * <p>If no emulator can be started the tests FAIL with a message saying what is missing: AWS tests
 * are never skipped.
 *
 * <p>The SDK is pointed at the emulator through its own settings — {@code aws.endpointUrl},
 * {@code aws.region}, {@code aws.accessKeyId}/{@code aws.secretAccessKey} — exactly as
 * {@code AWS_ENDPOINT_URL} and friends would in a local run; retries are off
 * ({@code aws.maxAttempts=1}, an emulator answers unimplemented calls with HTTP 500) and request
 * compression is off (moto cannot read gzip bodies).
 */
public final class AwsEmulator implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  public static final String LOCALSTACK_IMAGE = "localstack/localstack:4.14.0";
  public static final String REGION = "us-east-1";
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(AwsEmulator.class);

  /** Which emulator is running. */
  public enum Kind {
    /** moto with the capacity-reservation extension. */
    MOTO_EXT,
    /** plain moto_server: no capacity-reservation calls, no failure injection. */
    MOTO,
    LOCALSTACK
  }

  /** The running emulator, injectable into test constructors and methods. */
  public interface Running {
    URI endpoint();

    Kind kind();

    /** Empties every service (moto only; LocalStack tests rely on unique resource names). */
    void reset();

    /**
     * Makes every later call of an EC2 action fail with {@code errorCode} until the next reset.
     * Only {@link Kind#MOTO_EXT} can; anything else fails the calling test, saying why.
     */
    void failEc2Action(String action, String errorCode);

    /**
     * Sets a SageMaker endpoint's status (e.g. {@code Updating}); moto's endpoints are always
     * InService. Only {@link Kind#MOTO_EXT} can; anything else fails the calling test.
     */
    void setEndpointStatus(String endpointName, String status);

    /**
     * Sets a SageMaker endpoint's status and its first variant's serving and desired counts (moto
     * sets both counts to the desired one at once): how a replay follows a cold-start model. Only
     * {@link Kind#MOTO_EXT} can; anything else fails the calling test.
     */
    void setEndpointState(String endpointName, String status, int serving, int desired);

    /**
     * From now on EC2 has at most {@code limit} instances for the variant (−1: no limit): an
     * update asking for more is rolled back, the endpoint InService again with SageMaker's
     * insufficient-capacity FailureReason. Only {@link Kind#MOTO_EXT} can; anything else fails the
     * calling test.
     */
    void limitCapacity(String endpointName, String variantName, int limit);

    /**
     * Sets the account's applied SageMaker quota for {@code instanceType} endpoint usage (Service
     * Quotas' ListServiceQuotas answers with it, and an update beyond it fails with
     * ResourceLimitExceeded). Only {@link Kind#MOTO_EXT} can; anything else fails the test.
     */
    void setEndpointQuota(String instanceType, int value);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    running(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    running(context).reset();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Running.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
      throws ParameterResolutionException {
    return running(context);
  }

  /** One emulator for the whole test run, closed by JUnit when the run ends. */
  private static Running running(ExtensionContext context) {
    Handle handle =
        context.getRoot().getStore(NAMESPACE)
            .getOrComputeIfAbsent(Handle.class, key -> start(), Handle.class);
    return handle.running;
  }

  private static Handle start() {
    String choice = Optional.ofNullable(System.getenv("INFERSCALE_EMULATOR"))
        .orElse("").trim().toLowerCase(Locale.ROOT);
    Handle handle;
    if (choice.equals("moto")) {
      handle = startMoto();
    } else if (choice.equals("localstack") || (choice.isEmpty() && dockerAvailable())) {
      handle = startLocalStack();
    } else if (choice.isEmpty()) {
      handle = startMoto();
    } else {
      throw new IllegalStateException(
          "INFERSCALE_EMULATOR must be 'moto' or 'localstack', got '" + choice + "'");
    }
    System.setProperty("aws.endpointUrl", handle.running.endpoint().toString());
    System.setProperty("aws.region", REGION);
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    System.setProperty("aws.maxAttempts", "1");
    System.setProperty("aws.disableRequestCompression", "true");
    return handle;
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** Closes the emulator when JUnit closes the root store, at the end of the run. */
  private static final class Handle
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final Running running;
    final AutoCloseable stop;

    Handle(Running running, AutoCloseable stop) {
      this.running = running;
      this.stop = stop;
    }

    @Override
    public void close() throws Exception {
      stop.close();
    }
  }

  // ---------------------------------------------------------------- LocalStack

  private static Handle startLocalStack() {
    // SageMaker is a LocalStack Pro service: the community image does not serve it, so a Pro
    // image and LOCALSTACK_AUTH_TOKEN can be passed through; otherwise INFERSCALE_EMULATOR=moto.
    String image = Optional.ofNullable(System.getenv("INFERSCALE_LOCALSTACK_IMAGE"))
        .filter(s -> !s.isBlank()).orElse(LOCALSTACK_IMAGE);
    LocalStackContainer container =
        new LocalStackContainer(DockerImageName.parse(image)
                .asCompatibleSubstituteFor("localstack/localstack"))
            .withServices("cloudwatch", "sagemaker", "ec2");
    String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
    if (token != null && !token.isBlank()) {
      container.withEnv("LOCALSTACK_AUTH_TOKEN", token);
    }
    container.start();
    URI endpoint = container.getEndpoint();
    Running running = new Running() {
      @Override
      public URI endpoint() {
        return endpoint;
      }

      @Override
      public Kind kind() {
        return Kind.LOCALSTACK;
      }

      @Override
      public void reset() {
        // LocalStack has no cheap full reset; the tests use unique resource names.
      }

      @Override
      public void failEc2Action(String action, String errorCode) {
        throw new AssertionError("failure injection needs the moto extension; run with "
            + "INFERSCALE_EMULATOR=moto (moto_server on the PATH)");
      }

      @Override
      public void setEndpointStatus(String endpointName, String status) {
        throw new AssertionError("setting an endpoint's status needs the moto extension; run "
            + "with INFERSCALE_EMULATOR=moto (moto_server on the PATH)");
      }

      @Override
      public void setEndpointState(String endpointName, String status, int serving,
          int desired) {
        setEndpointStatus(endpointName, status);
      }

      @Override
      public void limitCapacity(String endpointName, String variantName, int limit) {
        throw new AssertionError("limiting capacity needs the moto extension; run with "
            + "INFERSCALE_EMULATOR=moto (moto_server on the PATH)");
      }

      @Override
      public void setEndpointQuota(String instanceType, int value) {
        throw new AssertionError("endpoint quotas need the moto extension; run with "
            + "INFERSCALE_EMULATOR=moto (moto_server on the PATH)");
      }
    };
    return new Handle(running, container::stop);
  }

  // ---------------------------------------------------------------- moto

  private static Handle startMoto() {
    Optional<Path> motoServer = onPath("moto_server");
    if (motoServer.isEmpty()) {
      throw new IllegalStateException(
          "No AWS emulator for the AWS tests: Docker is not available for LocalStack and "
              + "moto_server is not on the PATH. Install moto 5.2.1 "
              + "(pip install 'moto[server]==5.2.1') or start Docker. These tests are never "
              + "skipped.");
    }
    int port = freePort();
    Kind kind;
    List<String> command;
    Optional<Path> python = onPath("python3");
    if (python.isPresent() && canImportMoto(python.get())) {
      kind = Kind.MOTO_EXT;
      command = List.of(python.get().toString(), extensionScript().toString(),
          "-H", "127.0.0.1", "-p", Integer.toString(port));
    } else {
      kind = Kind.MOTO;
      command = List.of(motoServer.get().toString(), "-H", "127.0.0.1", "-p",
          Integer.toString(port));
    }
    Path log;
    Process process;
    try {
      log = Files.createTempFile("inferscale-moto-", ".log");
      log.toFile().deleteOnExit();
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start " + command + ": " + e.getMessage(), e);
    }
    Thread killer = new Thread(() -> kill(process));
    Runtime.getRuntime().addShutdownHook(killer);
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    awaitReady(endpoint, process, log, command);

    Running running = new Running() {
      @Override
      public URI endpoint() {
        return endpoint;
      }

      @Override
      public Kind kind() {
        return kind;
      }

      @Override
      public void reset() {
        post(endpoint.resolve("/moto-api/reset"));
      }

      @Override
      public void failEc2Action(String action, String errorCode) {
        if (kind != Kind.MOTO_EXT) {
          throw new AssertionError("failure injection needs moto_ext.py, but " + python
              + " cannot import moto; plain moto_server is running");
        }
        post(endpoint.resolve("/moto-ext/fail?action=" + action + "&code=" + errorCode));
      }

      @Override
      public void setEndpointStatus(String endpointName, String status) {
        endpointState(endpointName, status, "");
      }

      @Override
      public void setEndpointState(String endpointName, String status, int serving,
          int desired) {
        endpointState(endpointName, status, "&current=" + serving + "&desired=" + desired);
      }

      @Override
      public void limitCapacity(String endpointName, String variantName, int limit) {
        if (kind != Kind.MOTO_EXT) {
          throw new AssertionError("limiting capacity needs moto_ext.py, but " + python
              + " cannot import moto; plain moto_server is running");
        }
        post(endpoint.resolve("/moto-ext/sagemaker/capacity?name=" + endpointName + "&variant="
            + variantName + "&limit=" + limit + "&region=" + REGION));
      }

      @Override
      public void setEndpointQuota(String instanceType, int value) {
        if (kind != Kind.MOTO_EXT) {
          throw new AssertionError("endpoint quotas need moto_ext.py, but " + python
              + " cannot import moto; plain moto_server is running");
        }
        post(endpoint.resolve("/moto-ext/servicequotas/sagemaker?type=" + instanceType + "&value="
            + value + "&region=" + REGION));
      }

      private void endpointState(String endpointName, String status, String counts) {
        if (kind != Kind.MOTO_EXT) {
          throw new AssertionError("setting an endpoint's status needs moto_ext.py, but "
              + python + " cannot import moto; plain moto_server is running");
        }
        post(endpoint.resolve("/moto-ext/sagemaker/endpoint-status?name=" + endpointName
            + "&status=" + status + "&region=" + REGION + counts));
      }
    };
    return new Handle(running, () -> {
      kill(process);
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException shuttingDown) {
        // already running the hooks
      }
    });
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitReady(URI endpoint, Process process, Path log, List<String> command) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(command + " exited with " + process.exitValue()
            + " before answering:\n" + tail(log));
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        c.getResponseCode();
        c.disconnect();
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    kill(process);
    throw new IllegalStateException(command + " did not answer on " + endpoint
        + " within 60 s:\n" + tail(log));
  }

  private static void post(URI uri) {
    try {
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
      c.setRequestMethod("POST");
      c.setConnectTimeout(2000);
      c.setReadTimeout(10000);
      int status = c.getResponseCode();
      c.disconnect();
      if (status != 200) {
        throw new IllegalStateException("POST " + uri + " answered " + status);
      }
    } catch (IOException e) {
      throw new IllegalStateException("POST " + uri + " failed: " + e.getMessage(), e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static boolean canImportMoto(Path python) {
    try {
      Process p = new ProcessBuilder(python.toString(), "-c", "import moto.server, moto.ec2")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** moto_ext.py ships as a test resource (also inside the test-jar); copy it to a real file. */
  private static Path extensionScript() {
    try (InputStream in = AwsEmulator.class.getResourceAsStream("/moto_ext.py")) {
      if (in == null) {
        throw new IllegalStateException("moto_ext.py is missing from the test classpath");
      }
      Path script = Files.createTempFile("inferscale-moto-ext-", ".py");
      script.toFile().deleteOnExit();
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
      return script;
    } catch (IOException e) {
      throw new IllegalStateException("could not copy moto_ext.py: " + e.getMessage(), e);
    }
  }

  private static Optional<Path> onPath(String executable) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, executable);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port: " + e.getMessage(), e);
    }
  }
}
