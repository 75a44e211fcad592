package dev.cairn.api;

import java.util.Locale;

/** How a byte count is shown to people, the same in the web UI and on the command line: binary units. */
public final class ByteSize {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

    private ByteSize() {}

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 2.0 GiB}; up to TiB, with one decimal. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
