package dev.cairn.core.search;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/** The right-hand side of a filter comparison, typed by how it was written rather than by what the key holds. */
public sealed interface Value permits Value.Text, Value.Number, Value.Texts {

    /** A quoted string ('a' or "a"), quotes removed and escapes resolved. */
    record Text(String text) implements Value {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * An unquoted numeric literal. Kept as written (so {@code 0.90} and {@code 0.9} are different records);
     * callers compare with {@code compareTo}.
     */
    record Number(BigDecimal number) implements Value {
        public Number {
            Objects.requireNonNull(number, "number");
        }
    }

    /** The parenthesised list of quoted strings after IN / NOT IN; never empty. */
    record Texts(List<String> texts) implements Value {
        public Texts {
            texts = List.copyOf(texts);
            if (texts.isEmpty()) {
                throw new IllegalArgumentException("an IN list needs at least one value");
            }
        }
    }
}
