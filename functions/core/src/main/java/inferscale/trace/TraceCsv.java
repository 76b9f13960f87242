package inferscale.trace;

import inferscale.units.RequestRate;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads and writes the per-minute trace format {@code
 * timestamp,minute,requests,input_tokens,output_tokens,instances} (only {@code minute} and {@code
 * requests} are required, columns in any order; {@code instances}, the endpoint's serving instances
 * as recorded, may be blank where unknown). Minutes missing from the file become gaps. Every error
 * names the line and the column.
 */
public final class TraceCsv {
  /** Two years of minutes: far beyond any trace, small enough to allocate. */
  static final int MAX_SPAN_MINUTES = 2 * 366 * 24 * 60;

  /** More requests in a minute than any endpoint serves: a wrapped or cumulative counter. */
  static final long MAX_REQUESTS_PER_MINUTE = (long) RequestRate.MAX_PLAUSIBLE.perMinute();

  /** Token sums are held as doubles, which stop holding every whole number above 2^53. */
  static final long MAX_TOKENS_PER_MINUTE = 1L << 53;

  /** More instances than any one endpoint variant runs. */
  static final long MAX_INSTANCES = 100_000;

  private static final String MINUTE_LIMIT = "beyond the 2-year limit";
  private static final String REQUESTS_LIMIT = "more than the " + MAX_REQUESTS_PER_MINUTE
      + " requests a minute any one endpoint serves (a wrapped or cumulative counter?)";
  private static final String TOKENS_LIMIT =
      "more than " + MAX_TOKENS_PER_MINUTE + ", the largest token count kept exactly";
  private static final String INSTANCES_LIMIT =
      "more than the " + MAX_INSTANCES + " instances any one endpoint variant runs";

  private TraceCsv() {}

  public static Trace parse(String name, Reader source) {
    try (BufferedReader reader = new BufferedReader(source)) {
      return parseLines(name, reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trace " + name, e);
    }
  }

  private static Trace parseLines(String name, BufferedReader reader) throws IOException {
    String header = reader.readLine();
    if (header == null || header.isBlank()) {
      throw new TraceFormatException(name, 1, "the file is empty; expected a header line");
    }
    List<String> columns =
        Arrays.stream(header.strip().replace("\uFEFF", "").split(",", -1))
            .map(c -> c.strip().toLowerCase(Locale.ROOT))
            .toList();
    int minuteCol = columns.indexOf("minute");
    int requestsCol = columns.indexOf("requests");
    int timestampCol = columns.indexOf("timestamp");
    int inputCol = columns.indexOf("input_tokens");
    int outputCol = columns.indexOf("output_tokens");
    int instancesCol = columns.indexOf("instances");
    if (minuteCol < 0 || requestsCol < 0) {
      throw new TraceFormatException(
          name, 1, "header must name the columns 'minute' and 'requests', found " + columns);
    }

    List<long[]> rows = new ArrayList<>();
    List<double[]> tokenRows = new ArrayList<>();
    List<Double> instanceRows = new ArrayList<>();
    boolean allRowsHaveTokens = inputCol >= 0 && outputCol >= 0;
    Instant start = null;
    long previousMinute = -1;
    int lineNumber = 1;
    String line;
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.split(",", -1);
      if (fields.length < columns.size()) {
        throw new TraceFormatException(
            name, lineNumber, "expected " + columns.size() + " fields, found " + fields.length);
      }
      long minute = parseWhole(name, lineNumber, "minute", fields[minuteCol],
          MAX_SPAN_MINUTES - 1, MINUTE_LIMIT);
      if (minute <= previousMinute) {
        throw new TraceFormatException(
            name,
            lineNumber,
            "column 'minute' must increase strictly; " + minute + " follows " + previousMinute);
      }
      long requests = parseWhole(name, lineNumber, "requests", fields[requestsCol],
          MAX_REQUESTS_PER_MINUTE, REQUESTS_LIMIT);
      if (rows.isEmpty() && timestampCol >= 0 && !fields[timestampCol].isBlank()) {
        start = parseTimestamp(name, lineNumber, fields[timestampCol]).minusSeconds(60 * minute);
      }
      if (allRowsHaveTokens) {
        String in = fields[inputCol].strip();
        String out = fields[outputCol].strip();
        if (in.isEmpty() || out.isEmpty()) {
          allRowsHaveTokens = false;
        } else {
          tokenRows.add(
              new double[] {
                parseWhole(name, lineNumber, "input_tokens", in, MAX_TOKENS_PER_MINUTE,
                    TOKENS_LIMIT),
                parseWhole(name, lineNumber, "output_tokens", out, MAX_TOKENS_PER_MINUTE,
                    TOKENS_LIMIT)
              });
        }
      }
      if (instancesCol >= 0) {
        String count = fields[instancesCol].strip();
        instanceRows.add(count.isEmpty() ? Double.NaN : (double) parseWhole(name, lineNumber,
            "instances", count, MAX_INSTANCES, INSTANCES_LIMIT));
      }
      rows.add(new long[] {minute, requests});
      previousMinute = minute;
    }
    if (rows.isEmpty()) {
      throw new TraceFormatException(name, lineNumber, "the file has a header but no rows");
    }

    long first = rows.get(0)[0];
    int span = (int) (previousMinute - first + 1);
    double[] requests = new double[span];
    Arrays.fill(requests, Double.NaN);
    double[] input = allRowsHaveTokens ? filledWithNaN(span) : null;
    double[] output = allRowsHaveTokens ? filledWithNaN(span) : null;
    double[] instances = instancesCol >= 0 ? filledWithNaN(span) : null;
    for (int i = 0; i < rows.size(); i++) {
      int at = (int) (rows.get(i)[0] - first);
      requests[at] = rows.get(i)[1];
      if (allRowsHaveTokens) {
        input[at] = tokenRows.get(i)[0];
        output[at] = tokenRows.get(i)[1];
      }
      if (instances != null) {
        instances[at] = instanceRows.get(i);
      }
    }
    Instant origin = start == null ? null : start.plusSeconds(60 * first);
    return new Trace(name, origin, requests, input, output, instances);
  }

  /**
   * Writes {@code trace} in the format {@link #parse} reads back to the same trace: one row per
   * minute that is not a gap, a timestamp when the trace has a start, tokens and instances when it
   * has them.
   */
  public static void write(Trace trace, Writer target) throws IOException {
    StringBuilder header = new StringBuilder("minute");
    if (trace.start() != null) {
      header.append(",timestamp");
    }
    header.append(",requests");
    if (trace.hasTokens()) {
      header.append(",input_tokens,output_tokens");
    }
    if (trace.hasInstances()) {
      header.append(",instances");
    }
    BufferedWriter out = new BufferedWriter(target);
    out.write(header.append('\n').toString());
    for (int minute = 0; minute < trace.length(); minute++) {
      if (trace.isGap(minute)) {
        continue;
      }
      StringBuilder row = new StringBuilder().append(minute);
      if (trace.start() != null) {
        row.append(',').append(trace.start().plusSeconds(60L * minute));
      }
      row.append(',').append(whole(trace.requests(minute)));
      if (trace.hasTokens()) {
        row.append(',').append(whole(trace.inputTokens(minute)))
            .append(',').append(whole(trace.outputTokens(minute)));
      }
      if (trace.hasInstances()) {
        row.append(',').append(Double.isNaN(trace.instances(minute)) ? ""
            : whole(trace.instances(minute)));
      }
      out.write(row.append('\n').toString());
    }
    out.flush();
  }

  /** Counts are whole numbers: the format has no fractions. */
  private static String whole(double value) {
    return Long.toString(Math.round(value));
  }

  private static double[] filledWithNaN(int length) {
    double[] values = new double[length];
    Arrays.fill(values, Double.NaN);
    return values;
  }

  /**
   * A whole number in plain or scientific decimal notation ({@code 1500}, {@code 1.5e3}), read
   * exactly: what is accepted is the number written, up to {@code max}.
   *
   * @param limit why a value above {@code max} cannot be right
   */
  private static long parseWhole(
      String name, int line, String column, String text, long max, String limit) {
    String value = text.strip();
    BigDecimal parsed;
    try {
      parsed = new BigDecimal(value);
    } catch (NumberFormatException e) {
      throw notWhole(name, line, column, value);
    }
    if (parsed.signum() < 0 || parsed.stripTrailingZeros().scale() > 0) {
      throw notWhole(name, line, column, value);
    }
    if (parsed.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new TraceFormatException(
          name, line, "column '" + column + "' is " + value + ", " + limit);
    }
    return parsed.longValueExact();
  }

  private static TraceFormatException notWhole(
      String name, int line, String column, String value) {
    return new TraceFormatException(
        name,
        line,
        "column '" + column + "' must be a non-negative whole number, found '" + value + "'");
  }

  private static Instant parseTimestamp(String name, int line, String text) {
    try {
      return Instant.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new TraceFormatException(
          name,
          line,
          "column 'timestamp' must be ISO-8601 UTC like 1995-07-01T04:00:00Z, found '"
              + text.strip()
              + "'");
    }
  }
}
