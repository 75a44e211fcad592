package dev.cairn.server.internal.ui;

import dev.cairn.api.ByteSize;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How templates show values: times, numbers, digests, sizes, and URL parts. Output is escaped by the templates. */
public final class Fmt {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Fmt() {}

    public static String time(Instant time) {
        return time == null ? "" : TIME.format(time);
    }

    /** The ISO-8601 form, for {@code <time datetime>}. */
    public static String iso(Instant time) {
        return time == null ? "" : time.toString();
    }

    public static String num(Double value) {
        if (value == null) {
            return "—";
        }
        double v = value;
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+($|e)", "$1$2").replace(".e", "e")
                .replaceAll("\\.$", "");
    }

    /** A delta with its sign, {@code +0.02}. */
    public static String delta(Double value) {
        if (value == null) {
            return "";
        }
        return (value > 0 ? "+" : "") + num(value);
    }

    public static String percent(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%+.1f%%", value * 100);
    }

    /** The first 12 hex digits of a digest, without its {@code sha256:} prefix. */
    public static String digest(String digest) {
        if (digest == null || digest.isEmpty()) {
            return "—";
        }
        String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    /** A byte count for people: {@link ByteSize}, the same as the command line shows. */
    public static String size(long bytes) {
        return ByteSize.format(bytes);
    }

    /** One URL path segment (a space is %20). */
    public static String seg(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A file path under a URL: each segment encoded, the slashes kept. */
    public static String path(String text) {
        StringBuilder out = new StringBuilder();
        for (String part : text.split("/", -1)) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(seg(part));
        }
        return out.toString();
    }

    /** One query parameter value. */
    public static String q(String text) {
        return text == null ? "" : URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** {@code /ui/models/NAME}. */
    public static String model(String name) {
        return "/ui/models/" + seg(name);
    }

    /** {@code /ui/models/NAME/versions/N}. */
    public static String version(String name, int version) {
        return model(name) + "/versions/" + version;
    }

    /** At most {@code max} characters, with an ellipsis when cut. */
    public static String cut(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, Math.max(1, max - 1)) + "…";
    }

    /** Whether a higher value of this metric is worse: losses, errors, latencies and their kin. */
    public static boolean lowerIsBetter(String metric) {
        String name = metric.toLowerCase(Locale.ROOT);
        for (String word : new String[] {"loss", "error", "latency", "rmse", "mae", "mse"}) {
            if (name.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** {@code better}, {@code worse} or {@code same}: the CSS class of a metric's delta against the baseline. */
    public static String trend(String metric, Double delta) {
        if (delta == null || delta == 0.0) {
            return "same";
        }
        boolean up = delta > 0;
        return up != lowerIsBetter(metric) ? "better" : "worse";
    }
}
