package inferscale.trace;

import inferscale.units.RequestRate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads the per-minute trace format {@code timestamp,minute,requests,input_tokens,output_tokens}
 * (only {@code minute} and {@code requests} are required, columns in any order). Minutes missing
 * from the file become gaps. Every error names the line and the column.
 */
public final class TraceCsv {
  /** Two years of minutes: far beyond any trace, small enough to allocate. */
  static final int MAX_SPAN_MINUTES = 2 * 366 * 24 * 60;

  /** More requests in a minute than any endpoint serves: a wrapped or cumulative counter. */
  static final long MAX_REQUESTS_PER_MINUTE = (long) RequestRate.MAX_PLAUSIBLE.perMinute();

  /** Token sums are held as doubles, which stop holding every whole number above 2^53. */
  static final long MAX_TOKENS_PER_MINUTE = 1L << 53;

  private static final String MINUTE_LIMIT = "beyond the 2-year limit";
  private static final String REQUESTS_LIMIT = "more than the " + MAX_REQUESTS_PER_MINUTE
      + " requests a minute any one endpoint serves (a wrapped or cumulative counter?)";
  private static final String TOKENS_LIMIT =
      "more than " + MAX_TOKENS_PER_MINUTE + ", the largest token count kept exactly";

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
    if (minuteCol < 0 || requestsCol < 0) {
      throw new TraceFormatException(
          name, 1, "header must name the columns 'minute' and 'requests', found " + columns);
    }

    List<long[]> rows = new ArrayList<>();
    List<double[]> tokenRows = new ArrayList<>();
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
    for (int i = 0; i < rows.size(); i++) {
      int at = (int) (rows.get(i)[0] - first);
      requests[at] = rows.get(i)[1];
      if (allRowsHaveTokens) {
        input[at] = tokenRows.get(i)[0];
        output[at] = tokenRows.get(i)[1];
      }
    }
    Instant origin = start == null ? null : start.plusSeconds(60 * first);
    return new Trace(name, origin, requests, input, output);
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
