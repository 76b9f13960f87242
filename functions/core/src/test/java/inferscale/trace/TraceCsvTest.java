package inferscale.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TraceCsvTest {

  private static Trace parse(String text) {
    return TraceCsv.parse("t.csv", new StringReader(text));
  }

  @Test
  void missingMinutesBecomeGapsAndTimestampAnchorsMinuteZero() {
    Trace trace =
        parse(
            "timestamp,minute,requests,input_tokens,output_tokens\n"
                + "2023-11-16T18:16:00Z,0,236,,\n"
                + "2023-11-16T18:17:00Z,1,265,,\n"
                + "2023-11-16T18:20:00Z,4,7,,\n");
    assertEquals(5, trace.length());
    assertEquals(265, trace.requests(1));
    assertTrue(trace.isGap(2));
    assertTrue(trace.isGap(3));
    assertFalse(trace.isGap(4));
    assertEquals(3, trace.coveredMinutes());
    assertFalse(trace.hasTokens());
    assertEquals(Instant.parse("2023-11-16T18:16:00Z"), trace.start());
  }

  @Test
  void tokenColumnsAreKeptWhenEveryRowHasThem() {
    Trace trace = parse("minute,requests,input_tokens,output_tokens\n0,2,100,20\n1,3,150,30\n");
    assertTrue(trace.hasTokens());
    assertEquals(180, trace.tokens(1));
  }

  @Test
  void onlyMinuteAndRequestsAreRequiredInAnyOrder() {
    Trace trace = parse("requests,minute\n5,10\n6,11\n");
    assertEquals(2, trace.length());
    assertEquals(5, trace.requests(0));
  }

  @Test
  void errorsNameLineAndColumn() {
    var missingColumn = assertThrows(TraceFormatException.class, () -> parse("minute,count\n0,1\n"));
    assertTrue(missingColumn.getMessage().contains("'requests'"), missingColumn.getMessage());

    var badNumber = assertThrows(TraceFormatException.class, () -> parse("minute,requests\n0,1\n1,-3\n"));
    assertEquals("t.csv, line 3: column 'requests' must be a non-negative whole number, found '-3'",
        badNumber.getMessage());

    var unordered = assertThrows(TraceFormatException.class, () -> parse("minute,requests\n5,1\n5,2\n"));
    assertTrue(unordered.getMessage().contains("line 3"), unordered.getMessage());

    assertThrows(TraceFormatException.class, () -> parse(""));
    assertThrows(TraceFormatException.class, () -> parse("minute,requests\n"));
    assertThrows(TraceFormatException.class,
        () -> parse("timestamp,minute,requests\nyesterday,0,1\n"));
  }

  @Test
  void requestCountsNoEndpointServesAreRejectedNamingTheLine() {
    var huge = assertThrows(TraceFormatException.class,
        () -> parse("minute,requests\n0,100\n1,1e10\n2,100\n"));
    assertEquals("t.csv, line 3: column 'requests' is 1e10, more than the 600000000 requests a"
        + " minute any one endpoint serves (a wrapped or cumulative counter?)", huge.getMessage());

    var wrapped = assertThrows(TraceFormatException.class,
        () -> parse("minute,requests\n0,100\n1,4294967290\n"));
    assertTrue(wrapped.getMessage().startsWith("t.csv, line 3: column 'requests' is 4294967290,"),
        wrapped.getMessage());
  }

  @Test
  void theBusiestRealMinuteIsAccepted() {
    Trace trace = parse("minute,requests\n0,100\n1," + TraceCsv.MAX_REQUESTS_PER_MINUTE + "\n");
    assertEquals(600_000_000, trace.requests(1));
  }

  @Test
  void wholeNumbersAreReadExactlyInAnyDecimalNotation() {
    Trace trace = parse("minute,requests,input_tokens,output_tokens\n"
        + "0,1.5e3,7.0,2E2\n1e0,0.0,9007199254740992,0\n");
    assertEquals(1500, trace.requests(0));
    assertEquals(207, trace.tokens(0));
    assertEquals(0, trace.requests(1));
    assertEquals(9007199254740992.0, trace.tokens(1));

    for (String notWhole : new String[] {"1e-400", "2.5", "5d", "0x10", "NaN", "Infinity", ""}) {
      var e = assertThrows(TraceFormatException.class,
          () -> parse("minute,requests\n0," + notWhole + "\n"), notWhole);
      assertTrue(e.getMessage().endsWith("must be a non-negative whole number, found '" + notWhole
          + "'"), e.getMessage());
    }
  }

  @Test
  void numbersBeyondWhatTheTraceCanHoldAreRejectedAsWritten() {
    var minute = assertThrows(TraceFormatException.class,
        () -> parse("minute,requests\n1e308,1\n"));
    assertEquals("t.csv, line 2: column 'minute' is 1e308, beyond the 2-year limit",
        minute.getMessage());
    var requests = assertThrows(TraceFormatException.class,
        () -> parse("minute,requests\n0,1e308\n"));
    assertTrue(requests.getMessage().contains("column 'requests' is 1e308, more than"),
        requests.getMessage());
    var tokens = assertThrows(TraceFormatException.class,
        () -> parse("minute,requests,input_tokens,output_tokens\n0,1,1e308,1\n"));
    assertEquals("t.csv, line 2: column 'input_tokens' is 1e308, more than 9007199254740992, the"
        + " largest token count kept exactly", tokens.getMessage());
  }

  @Test
  void writingThenReadingGivesTheSameTraceWithTokensAndInstances() throws Exception {
    double nan = Double.NaN;
    Trace written = new Trace("w", Instant.parse("2026-11-01T00:00:00Z"),
        new double[] {5, nan, 7, 0}, new double[] {50, nan, 70, 0}, new double[] {5, nan, 7, 0},
        new double[] {2, nan, nan, 3});
    java.io.StringWriter out = new java.io.StringWriter();
    TraceCsv.write(written, out);
    assertEquals("minute,timestamp,requests,input_tokens,output_tokens,instances\n"
        + "0,2026-11-01T00:00:00Z,5,50,5,2\n"
        + "2,2026-11-01T00:02:00Z,7,70,7,\n"
        + "3,2026-11-01T00:03:00Z,0,0,0,3\n", out.toString());
    Trace read = parse(out.toString());
    assertEquals(written.start(), read.start());
    assertEquals(4, read.length());
    assertTrue(read.isGap(1));
    assertTrue(read.hasInstances());
    assertEquals(2, read.instances(0));
    assertTrue(Double.isNaN(read.instances(2)), "a blank count stays unknown");
    assertEquals(3, read.instances(3));
    assertEquals(77, read.tokens(2));
  }

  @Test
  void anInstanceCountMustBeWholeAndPlausible() {
    TraceFormatException fraction = assertThrows(TraceFormatException.class,
        () -> parse("minute,requests,instances\n0,5,1.5\n"));
    assertTrue(fraction.getMessage().contains("line 2") && fraction.getMessage()
        .contains("'instances'"), fraction.getMessage());
    TraceFormatException huge = assertThrows(TraceFormatException.class,
        () -> parse("minute,requests,instances\n0,5,100001\n"));
    assertTrue(huge.getMessage().contains("100000 instances"), huge.getMessage());
  }
}
