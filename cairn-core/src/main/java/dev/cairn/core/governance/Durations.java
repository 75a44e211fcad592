package dev.cairn.core.governance;

import dev.cairn.core.RegistryException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them: {@code 30d}, {@code 12h}, {@code 15m}, {@code 45s}, {@code 500ms}, or ISO-8601
 * ({@code PT36H}).
 */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|[dhms])");

    private Durations() {}

    /** Parses a positive duration; {@code what} names the field in the error. */
    public static Duration parse(String what, String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher short_ = SHORT.matcher(value);
        Duration duration = null;
        if (short_.matches()) {
            long n = Long.parseLong(short_.group(1));
            duration = switch (short_.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "ms" -> Duration.ofMillis(n);
                default -> Duration.ofSeconds(n);
            };
        } else if (value.startsWith("p")) {
            try {
                duration = Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw RegistryException.invalid(what + " '" + text + "' is not a positive duration such as 30d, 12h, 15m, 45s or PT36H");
        }
        return duration;
    }

    /** The shortest of {@code Nd}, {@code Nh}, {@code Nm}, {@code Ns} that says exactly {@code duration}. */
    public static String format(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
