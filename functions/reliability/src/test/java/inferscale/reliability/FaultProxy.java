package inferscale.reliability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault-injecting HTTP proxy on 127.0.0.1 between the SDK clients and the emulator. Every request
 * is identified by AWS service (the SigV4 credential scope: {@code sagemaker}, {@code monitoring},
 * {@code ec2}) and action ({@code X-Amz-Target}, the form body's {@code Action=}, or an RPC v2
 * path), recorded, and then answered by the first matching rule, or passed through to the emulator.
 *
 * <p>Faults answer in the protocol the client speaks: a JSON error ({@code __type}, plus the
 * {@code x-amzn-query-error} header that query-compatible JSON services use) for JSON protocols, and
 * the query protocol's XML {@code ErrorResponse} (EC2's {@code Response/Errors}) otherwise.
 */
public final class FaultProxy implements AutoCloseable {
  private static final Pattern SCOPE =
      Pattern.compile("Credential=[^/]+/\\d{8}/[^/]+/([^/]+)/aws4_request");
  private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection",
      "expect", "upgrade", "transfer-encoding", "keep-alive", "te", "trailer",
      "proxy-authorization", "proxy-connection", "http2-settings");

  /** One request as the proxy saw it, with what it did. */
  public record Call(String service, String action, String body, int status, String fault) {}

  /** What a rule does with a request; {@code forward} passes it to the emulator. */
  @FunctionalInterface
  public interface Fault {
    Reply apply(Request request, Forwarder forward) throws IOException, InterruptedException;
  }

  @FunctionalInterface
  public interface Forwarder {
    Reply forward() throws IOException, InterruptedException;
  }

  /** A request the proxy received. */
  public record Request(String service, String action, String contentType, String body) {
    boolean json() {
      return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json");
    }
  }

  /**
   * An answer: status, headers and body; {@code declaredLength} > body length makes a truncated
   * response (the connection closes early); {@code drop} closes the connection with no answer.
   */
  public record Reply(int status, Map<String, List<String>> headers, byte[] body,
      long declaredLength, boolean drop, String fault) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private record Rule(String service, String action, AtomicInteger remaining, Fault fault) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-proxy");
    t.setDaemon(true);
    return t;
  });
  private final URI upstream;
  private final HttpClient client;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  public FaultProxy(URI upstream) throws IOException {
    this.upstream = upstream;
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).executor(executor).build();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Applies {@code fault} to every later call of {@code service}/{@code action} ("*" = any). */
  public FaultProxy on(String service, String action, Fault fault) {
    return on(service, action, Integer.MAX_VALUE, fault);
  }

  /** Applies {@code fault} to the next {@code times} calls only. */
  public FaultProxy on(String service, String action, int times, Fault fault) {
    rules.add(new Rule(service, action, new AtomicInteger(times), fault));
    return this;
  }

  public void clear() {
    rules.clear();
    calls.clear();
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  public List<Call> calls(String action) {
    return calls.stream().filter(c -> c.action().equals(action)).toList();
  }

  /** Calls that change something in AWS (not Describe/Get/List). */
  public List<Call> mutatingCalls() {
    return calls.stream().filter(c -> !c.action().matches("(Describe|Get|List).*")).toList();
  }

  // ------------------------------------------------------------------ canned faults

  /** An AWS error in the request's own protocol. */
  public static Fault awsError(int status, String code, String message) {
    return (request, forward) -> error(request, status, code, message);
  }

  /** SageMaker's and CloudWatch's throttling answers. */
  public static Fault throttled() {
    return (request, forward) -> request.service().equals("monitoring")
        ? error(request, 400, "Throttling", "Rate exceeded")
        : error(request, 400, "ThrottlingException", "Rate exceeded");
  }

  public static Fault status(int status) {
    return (request, forward) -> error(request, status,
        status == 503 ? "ServiceUnavailable" : "InternalFailure", "injected HTTP " + status);
  }

  /** Waits, then passes through (the client may have given up by then). */
  public static Fault delay(Duration delay) {
    return (request, forward) -> {
      Thread.sleep(delay.toMillis());
      Reply reply = forward.forward();
      return new Reply(reply.status(), reply.headers(), reply.body(), reply.body().length, false,
          "delayed " + delay.toMillis() + " ms");
    };
  }

  /** Closes the connection without answering. */
  public static Fault drop() {
    return (request, forward) -> new Reply(0, Map.of(), new byte[0], 0, true, "dropped");
  }

  /** Passes through, then sends only the first half of the emulator's body. */
  public static Fault truncated() {
    return (request, forward) -> {
      Reply reply = forward.forward();
      byte[] half = java.util.Arrays.copyOf(reply.body(), reply.body().length / 2);
      return new Reply(reply.status(), reply.headers(), half, reply.body().length, false,
          "truncated");
    };
  }

  /** Answers 200 with a body that is not the protocol's JSON or XML. */
  public static Fault malformed() {
    return (request, forward) -> {
      String type = request.json() ? "application/x-amz-json-1.1" : "text/xml";
      return new Reply(200, Map.of("Content-Type", List.of(type)),
          (request.json() ? "{\"EndpointName\": [unterminated" : "<GetMetricDataResponse><oops")
              .getBytes(StandardCharsets.UTF_8), -1, false, "malformed");
    };
  }

  /** Passes through, then rewrites the body. */
  public static Fault rewrite(java.util.function.UnaryOperator<String> edit) {
    return (request, forward) -> {
      Reply reply = forward.forward();
      byte[] body = edit.apply(reply.text()).getBytes(StandardCharsets.UTF_8);
      return new Reply(reply.status(), reply.headers(), body, body.length, false, "rewritten");
    };
  }

  public static Reply error(Request request, int status, String code, String message) {
    String id = java.util.UUID.randomUUID().toString();
    if (request.json()) {
      String body = "{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}";
      return new Reply(status, Map.of("Content-Type", List.of(request.contentType()),
          "x-amzn-RequestId", List.of(id), "x-amzn-ErrorType", List.of(code),
          "x-amzn-query-error", List.of(code + ";" + (status >= 500 ? "Receiver" : "Sender"))),
          body.getBytes(StandardCharsets.UTF_8), -1, false, code);
    }
    String body = request.service().equals("ec2")
        ? "<Response><Errors><Error><Code>" + code + "</Code><Message>" + message
            + "</Message></Error></Errors><RequestID>" + id + "</RequestID></Response>"
        : "<ErrorResponse><Error><Type>" + (status >= 500 ? "Receiver" : "Sender")
            + "</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error>"
            + "<RequestId>" + id + "</RequestId></ErrorResponse>";
    return new Reply(status, Map.of("Content-Type", List.of("text/xml")),
        body.getBytes(StandardCharsets.UTF_8), -1, false, code);
  }

  // ------------------------------------------------------------------ serving

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String text = new String(body, StandardCharsets.UTF_8);
      String service = service(exchange.getRequestHeaders().getFirst("Authorization"));
      String action = action(exchange, text);
      Request request = new Request(service, action,
          exchange.getRequestHeaders().getFirst("Content-Type"), text);
      Forwarder forward = () -> forward(exchange, body);
      Reply reply;
      try {
        Fault fault = match(service, action);
        reply = fault == null ? forward.forward() : fault.apply(request, forward);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reply = error(request, 500, "InternalFailure", "proxy interrupted");
      } catch (IOException e) {
        reply = error(request, 502, "BadGateway", "proxy could not reach the emulator");
      }
      calls.add(new Call(service, action, text, reply.status(), reply.fault()));
      send(exchange, reply);
    }
  }

  private Fault match(String service, String action) {
    for (Rule rule : rules) {
      if ((rule.service().equals("*") || rule.service().equals(service))
          && (rule.action().equals("*") || rule.action().equals(action))
          && rule.remaining().getAndDecrement() > 0) {
        return rule.fault();
      }
    }
    return null;
  }

  private Reply forward(HttpExchange exchange, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI()))
        .timeout(Duration.ofSeconds(30))
        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> b.header(name, v));
      }
    });
    HttpResponse<byte[]> response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(response.statusCode(), response.headers().map(), response.body(),
        response.body().length, false, null);
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    if (reply.drop()) {
      // No status line: closing the exchange's stream before sending headers closes the socket.
      exchange.getResponseBody().close();
      return;
    }
    reply.headers().forEach((name, values) -> {
      if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
        exchange.getResponseHeaders().put(name, new ArrayList<>(values));
      }
    });
    long length = reply.declaredLength() < 0 ? reply.body().length : reply.declaredLength();
    exchange.sendResponseHeaders(reply.status(), length == 0 ? -1 : length);
    OutputStream out = exchange.getResponseBody();
    try {
      out.write(reply.body());
      out.flush();
    } catch (IOException ignored) {
      // the client gave up first
    }
  }

  static String service(String authorization) {
    if (authorization == null) {
      return "unknown";
    }
    Matcher m = SCOPE.matcher(authorization);
    return m.find() ? m.group(1) : "unknown";
  }

  private static String action(HttpExchange exchange, String body) {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    if (target != null) {
      return target.substring(target.lastIndexOf('.') + 1);
    }
    String path = exchange.getRequestURI().getPath();
    int op = path.indexOf("/operation/");
    if (op >= 0) {
      return path.substring(op + "/operation/".length());
    }
    for (String pair : body.split("&")) {
      if (pair.startsWith("Action=")) {
        return URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8);
      }
    }
    String query = exchange.getRequestURI().getQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("Action=")) {
          return pair.substring(7);
        }
      }
    }
    return exchange.getRequestMethod() + " " + path;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
