package inferscale.sizing;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The requests per second a model copy sustains within an SLO, from the load levels measured on
 * it: the highest level that meets the SLO, or the point between it and the next level where the
 * binding latency reaches the SLO (linear between the two). Never beyond the highest level
 * measured, and the figure says so when that level still meets the SLO.
 */
public final class MeasuredThroughput {
  private MeasuredThroughput() {}

  /** @param levels one copy's levels (one instance type, one tensor-parallel degree) */
  public static SloThroughput withinSlo(List<BenchmarkPoint> levels, Workload workload) {
    List<BenchmarkPoint> sorted = levels.stream()
        .sorted(Comparator.comparingDouble(BenchmarkPoint::concurrency)).toList();
    String statistic = sorted.stream().map(BenchmarkPoint::ttftStatistic)
        .filter(s -> !s.equals("p95")).findFirst().map(s -> " (TTFT at " + s + ")").orElse("");
    BenchmarkPoint first = sorted.get(0);
    if (!meets(first, workload)) {
      return new SloThroughput(SloThroughput.MEASURED, 0, 0, first.ttftMs(), first.itlMs(),
          String.format(Locale.ROOT, "no measured concurrency meets the SLO: at %s, TTFT %.0f ms,"
              + " ITL %.1f ms%s", Quantities.plain(first.concurrency()), first.ttftMs(),
              first.itlMs(), statistic));
    }
    int last = 0;
    while (last + 1 < sorted.size() && meets(sorted.get(last + 1), workload)) {
      last++;
    }
    BenchmarkPoint met = sorted.get(last);
    if (last + 1 == sorted.size()) {
      return new SloThroughput(SloThroughput.MEASURED, met.rps(), met.concurrency(), met.ttftMs(),
          met.itlMs(), "the highest measured concurrency, " + Quantities.plain(met.concurrency())
              + ", meets the SLO: not extrapolated beyond it" + statistic);
    }
    BenchmarkPoint missed = sorted.get(last + 1);
    if (missed.failedShare() > 0) {
      // Where between the two the failures began is unknown: the level that met the SLO.
      return new SloThroughput(SloThroughput.MEASURED, met.rps(), met.concurrency(),
          met.ttftMs(), met.itlMs(), "requests failed at measured concurrency "
              + Quantities.plain(missed.concurrency()) + ": the rate at "
              + Quantities.plain(met.concurrency()) + statistic);
    }
    double ttftShare = share(met.ttftMs(), missed.ttftMs(), workload.ttftSloMs());
    double itlShare = share(met.itlMs(), missed.itlMs(), workload.itlSloMs());
    double f = Math.min(ttftShare, itlShare);
    // Never below the level that met the SLO, should the rate fall past it.
    return new SloThroughput(SloThroughput.MEASURED,
        Math.max(met.rps(), between(met.rps(), missed.rps(), f)),
        between(met.concurrency(), missed.concurrency(), f),
        between(met.ttftMs(), missed.ttftMs(), f), between(met.itlMs(), missed.itlMs(), f),
        (ttftShare <= itlShare ? "TTFT" : "ITL") + " reaches the SLO between measured concurrency "
            + Quantities.plain(met.concurrency()) + " and "
            + Quantities.plain(missed.concurrency()) + statistic);
  }

  private static boolean meets(BenchmarkPoint level, Workload workload) {
    return level.failedShare() == 0 && level.ttftMs() <= workload.ttftSloMs()
        && level.itlMs() <= workload.itlSloMs();
  }

  /** How far from {@code from} to {@code to} a latency reaches {@code slo}; 1 if it never does. */
  private static double share(double from, double to, double slo) {
    return to <= slo || to <= from ? 1 : (slo - from) / (to - from);
  }

  private static double between(double from, double to, double share) {
    return from + share * (to - from);
  }
}
