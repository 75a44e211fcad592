package dev.cairn.server.internal.ui;

import dev.cairn.core.model.ModelVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One metric across a model's versions as an SVG line chart, laid out here so the template only draws: version
 * numbers along x, values up y, a marker on every version that held Production.
 */
public record MetricChart(String metric, int width, int height, String line, List<Point> points, List<Tick> xTicks,
                          List<Tick> yTicks, int left, int right, int top, int bottom) {
    static final int WIDTH = 760;
    static final int HEIGHT = 320;
    private static final int LEFT = 64;
    private static final int RIGHT = 20;
    private static final int TOP = 20;
    private static final int BOTTOM = 44;

    /** One plotted version: where, its value, and whether it held Production. */
    public record Point(int version, String value, String x, String y, boolean production, String href) {}

    /** An axis label at a position. */
    public record Tick(String label, String at) {}

    /** The chart of {@code metric} over the versions that have it; production marks the versions that held it. */
    static MetricChart of(String model, String metric, List<ModelVersion> versions, Set<Integer> production) {
        List<ModelVersion> plotted = new ArrayList<>(versions.stream()
                .filter(v -> v.metrics().get(metric) != null && Double.isFinite(v.metrics().get(metric))).toList());
        plotted.sort(Comparator.comparingInt(ModelVersion::version));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        if (plotted.isEmpty()) {
            return new MetricChart(metric, WIDTH, HEIGHT, "", List.of(), List.of(), List.of(), LEFT, WIDTH - RIGHT, TOP,
                    HEIGHT - BOTTOM);
        }
        int minV = plotted.get(0).version();
        int maxV = plotted.get(plotted.size() - 1).version();
        double lo = plotted.stream().mapToDouble(v -> v.metrics().get(metric)).min().orElse(0);
        double hi = plotted.stream().mapToDouble(v -> v.metrics().get(metric)).max().orElse(1);
        if (hi == lo) {
            double pad = hi == 0 ? 1 : Math.abs(hi) * 0.1;
            lo -= pad;
            hi += pad;
        }
        List<Point> points = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (ModelVersion v : plotted) {
            double x = LEFT + (maxV == minV ? plotW / 2.0 : (v.version() - minV) * (double) plotW / (maxV - minV));
            double value = v.metrics().get(metric);
            double y = TOP + plotH - (value - lo) * plotH / (hi - lo);
            String xs = coord(x);
            String ys = coord(y);
            line.append(line.isEmpty() ? "" : " ").append(xs).append(',').append(ys);
            points.add(new Point(v.version(), Fmt.num(value), xs, ys, production.contains(v.version()),
                    Fmt.version(model, v.version())));
        }
        List<Tick> yTicks = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            double value = lo + (hi - lo) * i / 4;
            yTicks.add(new Tick(Fmt.num(value), coord(TOP + plotH - plotH * i / 4.0)));
        }
        List<Tick> xTicks = new ArrayList<>();
        // Every version when there are few, else seven evenly spread.
        int steps = maxV - minV <= 12 ? Math.max(1, maxV - minV) : 6;
        for (int i = 0; i <= steps; i++) {
            int version = minV + (int) Math.round((maxV - minV) * (double) i / steps);
            double x = LEFT + (maxV == minV ? plotW / 2.0 : (version - minV) * (double) plotW / (maxV - minV));
            if (xTicks.isEmpty() || !xTicks.get(xTicks.size() - 1).label().equals("v" + version)) {
                xTicks.add(new Tick("v" + version, coord(x)));
            }
        }
        return new MetricChart(metric, WIDTH, HEIGHT, line.toString(), points, xTicks, yTicks, LEFT, WIDTH - RIGHT, TOP,
                HEIGHT - BOTTOM);
    }

    private static String coord(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
