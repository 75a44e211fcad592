package dev.cairn.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** How values read in tables: numbers without float noise, maps as k=v lists. */
public final class Text {
    private Text() {}

    public static String number(Double value) {
        if (value == null) {
            return "-";
        }
        if (value.isNaN() || value.isInfinite()) {
            return value.toString();
        }
        BigDecimal exact = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        return exact.scale() < 0 ? exact.setScale(0).toPlainString() : exact.toPlainString();
    }

    /** A delta with its sign: {@code +0.04}, {@code -1}. */
    public static String signed(Double value) {
        if (value == null) {
            return "-";
        }
        return (value > 0 ? "+" : "") + number(round(value));
    }

    public static String percent(Double ratio) {
        if (ratio == null || ratio.isNaN() || ratio.isInfinite()) {
            return "";
        }
        return String.format(Locale.ROOT, "%+.1f%%", ratio * 100);
    }

    /** {@code k=v, k2=v2} sorted by key, so the same map always reads the same. */
    public static String pairs(Map<String, ?> map) {
        if (map == null || map.isEmpty()) {
            return "";
        }
        return new TreeMap<>(map).entrySet().stream()
                .map(e -> e.getKey() + "=" + (e.getValue() instanceof Double d ? number(d) : e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** {@code 1 file}, {@code 3 files}. */
    public static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    public static String list(List<?> values) {
        return values == null ? "" : values.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** The first 12 hex digits of a {@code sha256:HEX} digest or bare hex, enough to tell versions apart. */
    public static String shortDigest(String digest) {
        if (digest == null) {
            return "";
        }
        String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
        return (digest.startsWith("sha256:") ? "sha256:" : "") + (hex.length() > 12 ? hex.substring(0, 12) : hex);
    }

    /** An ISO time without fractions of a second: {@code 2026-05-01T12:00:03Z}. */
    public static String time(String iso) {
        if (iso == null) {
            return "";
        }
        int dot = iso.indexOf('.');
        return dot > 0 && iso.endsWith("Z") ? iso.substring(0, dot) + "Z" : iso;
    }

    /** Rounds away binary noise such as 0.040000000000000036. */
    private static double round(double value) {
        return new BigDecimal(value).round(new MathContext(12)).doubleValue();
    }
}
