package inferscale.cli;

import inferscale.backtest.Frontier;
import inferscale.backtest.Frontier.Point;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws both frontiers, cost ratio against unserved demand on a log scale, with the clairvoyant's
 * cost at the left edge (it leaves nothing unserved, which a log axis cannot show) and the floor
 * under every frontier.
 */
final class FrontierChart {
  private FrontierChart() {}

  /** @return the file written, as an absolute path */
  static Path write(Frontier frontier, Path file) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(series("target tracking (target utilisation 0.4-0.9)",
        frontier.targetTracking()));
    data.addSeries(series("InferScale (target utilisation 0.4-0.9)", frontier.inferscale()));
    data.addSeries(series("InferScale forecast-led (floor band 0.2-1)",
        frontier.inferscaleForecastLed()));
    data.addSeries(series("InferScale holding an unserved budget (0.1-5 %)",
        frontier.inferscaleBudget()));
    double left = Math.max(Frontier.LOG_FLOOR_PERCENT, frontier.targetTracking().stream()
        .mapToDouble(Point::unservedPct).min().orElse(1) / 10);
    XYSeries clairvoyant = new XYSeries("clairvoyant (0 % unserved)");
    clairvoyant.add(left, frontier.clairvoyant().costRatio());
    data.addSeries(clairvoyant);
    double right = frontier.targetTracking().stream().mapToDouble(Point::unservedPct).max()
        .orElse(1) * 2;
    data.addSeries(series("the floor: any policy, knowing every minute", frontier.floor()
        .stream().filter(p -> p.unservedPct() >= left && p.unservedPct() <= right).toList()));
    JFreeChart chart = ChartFactory.createXYLineChart(
        "Cost against unserved demand: " + frontier.trace(), "unserved demand, % (log scale)",
        "cost ratio (1.0 = the instances each minute needed)", data, PlotOrientation.VERTICAL,
        true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    LogAxis unserved = new LogAxis("unserved demand, % (log scale)");
    unserved.setSmallestValue(Frontier.LOG_FLOOR_PERCENT);
    // Decades, labelled exactly: half-decades (0.000316) read as 0 at any short format.
    unserved.setTickUnit(new NumberTickUnit(1));
    unserved.setNumberFormatOverride(new DecimalFormat("0.##########", DecimalFormatSymbols
        .getInstance(Locale.ROOT)));
    plot.setDomainAxis(unserved);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    List<Color> colours = List.of(new Color(0xff7f0e), new Color(0x1f77b4), new Color(0x17becf),
        new Color(0x9467bd), new Color(0x2ca02c), new Color(0x7f7f7f));
    for (int i = 0; i < colours.size(); i++) {
      renderer.setSeriesPaint(i, colours.get(i));
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(renderer);
    return BacktestChart.writePanels(file, chart);
  }

  private static XYSeries series(String name, List<Point> points) {
    XYSeries series = new XYSeries(name, false);
    for (Point p : points) {
      series.add(Math.max(Frontier.LOG_FLOOR_PERCENT, p.unservedPct()), p.costRatio());
    }
    return series;
  }
}
