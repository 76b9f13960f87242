package inferscale.cli;

import inferscale.backtest.BacktestReport;
import inferscale.backtest.PolicyRun;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Draws demand (as instances needed) and each policy's serving capacity: the whole trace in
 * 30-minute means on top, the busiest day minute by minute below.
 */
final class BacktestChart {
  private static final int WIDTH = 1400;
  private static final int PANEL_HEIGHT = 520;
  private static final int OVERVIEW_BUCKET_MINUTES = 30;
  private static final int DAY = 24 * 60;
  private static final Color[] POLICY_COLOURS = {
    new Color(0x8c564b), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
    new Color(0x1f77b4), new Color(0xd62728)
  };

  private BacktestChart() {}

  /**
   * What can be known before simulating: a file name ending in .svg or .png, in a folder that
   * exists and can be written to.
   */
  static void checkTarget(CommandSpec spec, Path file) {
    Path target = file.toAbsolutePath();
    if (Files.isDirectory(target)) {
      throw new ParameterException(spec.commandLine(),
          "--chart: " + target + " is a folder; give a file name ending in .svg or .png");
    }
    String name = target.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".svg") && !name.endsWith(".png")) {
      throw new ParameterException(spec.commandLine(),
          "--chart: the file name must end in .svg or .png, got " + file);
    }
    OutputFiles.checkWritable(spec, "--chart", target);
  }

  /**
   * The overview above the busiest day (see {@link #writePanels}).
   *
   * @return the file written, as an absolute path
   */
  static Path write(BacktestReport report, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    return writePanels(file, overview(report), busiestDay(report));
  }

  /**
   * Charts one above the other, each {@value #PANEL_HEIGHT} pixels high, to an SVG or PNG file;
   * written to a temporary file first, so a failure never leaves a half-written chart.
   *
   * @return the file written, as an absolute path
   */
  static Path writePanels(Path file, JFreeChart... panels) throws IOException {
    System.setProperty("java.awt.headless", "true");
    boolean svg = file.toString().toLowerCase(Locale.ROOT).endsWith(".svg");
    return OutputFiles.replace(file, temporary -> {
      if (svg) {
        SVGGraphics2D document = new SVGGraphics2D(WIDTH, panels.length * PANEL_HEIGHT);
        draw(document, panels);
        Files.writeString(temporary, document.getSVGDocument(), StandardCharsets.UTF_8);
      } else {
        BufferedImage image =
            new BufferedImage(WIDTH, panels.length * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        draw(graphics, panels);
        graphics.dispose();
        try (OutputStream out = Files.newOutputStream(temporary)) {
          ImageIO.write(image, "png", out);
        }
      }
    });
  }

  private static void draw(Graphics2D graphics, JFreeChart... panels) {
    for (int i = 0; i < panels.length; i++) {
      panels[i].draw(graphics, new Rectangle2D.Double(0, i * PANEL_HEIGHT, WIDTH, PANEL_HEIGHT));
    }
  }

  private static JFreeChart overview(BacktestReport report) {
    double[] demand = report.demand();
    int length = demand.length;
    double mu = report.parameters().muPerInstance();
    int bucket = length > 3 * DAY ? OVERVIEW_BUCKET_MINUTES : 1;
    XYSeriesCollection data = new XYSeriesCollection();
    XYSeries needed = new XYSeries("demand (instances needed)", false, false);
    for (int start = 0; start < length; start += bucket) {
      double sum = 0;
      int count = 0;
      for (int m = start; m < Math.min(length, start + bucket); m++) {
        if (!Double.isNaN(demand[m])) {
          sum += demand[m] / mu;
          count++;
        }
      }
      needed.add(start / (double) DAY, count == 0 ? null : (Number) (sum / count));
    }
    data.addSeries(needed);
    for (PolicyRun run : report.runs()) {
      int[] serving = run.serving();
      XYSeries series = new XYSeries(run.result().name(), false, false);
      for (int start = 0; start < length; start += bucket) {
        double sum = 0;
        int end = Math.min(length, start + bucket);
        for (int m = start; m < end; m++) {
          sum += serving[m];
        }
        series.add(start / (double) DAY, sum / (end - start));
      }
      data.addSeries(series);
    }
    String title = String.format(Locale.ROOT,
        "%s: demand and serving instances (%s)", report.trace(),
        bucket > 1 ? bucket + "-minute means" : "per minute");
    return chart(title, "days since the start of the trace", data);
  }

  private static JFreeChart busiestDay(BacktestReport report) {
    double[] demand = report.demand();
    int length = demand.length;
    double mu = report.parameters().muPerInstance();
    int dayStart = busiestDayStart(demand, report.parameters().scoredFromMinute());
    int dayEnd = Math.min(length, dayStart + DAY);
    XYSeriesCollection data = new XYSeriesCollection();
    XYSeries needed = new XYSeries("demand (instances needed)", false, false);
    for (int m = dayStart; m < dayEnd; m++) {
      needed.add((m - dayStart) / 60.0, Double.isNaN(demand[m]) ? null : (Number) (demand[m] / mu));
    }
    data.addSeries(needed);
    for (PolicyRun run : report.runs()) {
      int[] serving = run.serving();
      XYSeries series = new XYSeries(run.result().name(), false, false);
      for (int m = dayStart; m < dayEnd; m++) {
        series.add((m - dayStart) / 60.0, serving[m]);
      }
      data.addSeries(series);
    }
    String title = String.format(Locale.ROOT,
        "Busiest day (minutes %d-%d, day %d): where each policy falls short or wastes",
        dayStart, dayEnd - 1, dayStart / DAY);
    return chart(title, "hours into the day", data);
  }

  /** Start of the scored 24-hour window (aligned to whole days) with the most requests. */
  static int busiestDayStart(double[] demand, int scoredFrom) {
    int best = scoredFrom;
    double bestTotal = -1;
    for (int start = scoredFrom; start < demand.length; start += DAY) {
      double total = 0;
      for (int m = start; m < Math.min(demand.length, start + DAY); m++) {
        if (!Double.isNaN(demand[m])) {
          total += demand[m];
        }
      }
      if (total > bestTotal) {
        bestTotal = total;
        best = start;
      }
    }
    return best;
  }

  private static JFreeChart chart(String title, String xLabel, XYSeriesCollection data) {
    JFreeChart chart = ChartFactory.createXYLineChart(
        title, xLabel, "instances", data, PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, new Color(0x555555));
    renderer.setSeriesStroke(0, new BasicStroke(2.2f));
    for (int i = 1; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, POLICY_COLOURS[(i - 1) % POLICY_COLOURS.length]);
      renderer.setSeriesStroke(i, new BasicStroke(1.2f));
    }
    plot.setRenderer(renderer);
    return chart;
  }
}
