package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.Dataset;
import dev.cairn.api.ApiModels.Parent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsers for the structured option values of the commands; a bad value is a usage error (exit 2). */
final class Arguments {
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private Arguments() {}

    /** {@code NAME:VERSION}, the model name may itself contain ':'. */
    static final class ParentConverter implements ITypeConverter<Parent> {
        @Override
        public Parent convert(String value) {
            int colon = value.lastIndexOf(':');
            if (colon <= 0) {
                throw new TypeConversionException("'" + value + "' is not NAME:VERSION");
            }
            return new Parent(value.substring(0, colon), version(value.substring(colon + 1), value), null);
        }
    }

    /**
     * {@code ROLE=URI[@VERSION][#sha256:HEX]}: a version follows the last '@' after the last '/', so URIs with a
     * user part ({@code git@host:repo}) keep their '@'. The dataset's name is the last segment of its URI.
     */
    static final class DatasetConverter implements ITypeConverter<Dataset> {
        @Override
        public Dataset convert(String value) {
            int eq = value.indexOf('=');
            if (eq <= 0 || eq == value.length() - 1) {
                throw new TypeConversionException("'" + value + "' is not ROLE=URI[@VERSION][#sha256:HEX]");
            }
            String role = value.substring(0, eq).toLowerCase(Locale.ROOT);
            String rest = value.substring(eq + 1);
            String digest = null;
            int hash = rest.lastIndexOf('#');
            if (hash >= 0) {
                digest = rest.substring(hash + 1).toLowerCase(Locale.ROOT);
                if (!DIGEST.matcher(digest).matches()) {
                    throw new TypeConversionException("dataset digest '" + rest.substring(hash + 1)
                            + "' is not sha256: followed by 64 hex digits");
                }
                rest = rest.substring(0, hash);
            }
            String version = null;
            int at = rest.lastIndexOf('@');
            if (at > 0 && at > rest.lastIndexOf('/') && at < rest.length() - 1) {
                version = rest.substring(at + 1);
                rest = rest.substring(0, at);
            }
            if (rest.isBlank()) {
                throw new TypeConversionException("'" + value + "' names no dataset URI");
            }
            return new Dataset(name(rest), rest, version, digest, role);
        }

        private static String name(String uri) {
            String trimmed = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
            return trimmed.substring(trimmed.lastIndexOf('/') + 1);
        }
    }

    /** An ISO-8601 time with its offset: {@code 2026-03-01T12:00:00Z}, {@code 2026-03-01T13:00:00+01:00}. */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not an ISO-8601 time such as 2026-03-01T12:00:00Z");
            }
        }
    }

    static int version(String text, String whole) {
        try {
            int version = Integer.parseInt(text);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new TypeConversionException("'" + text + "' in '" + whole + "' is not a version number");
    }
}
