package dev.cairn.core.search;

import dev.cairn.core.RegistryException;
import java.util.Objects;

/** One element of an order_by list: an identifier (same forms as in a filter) and a direction. */
public record OrderBy(Entity entity, String key, boolean ascending) {

    public OrderBy {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(key, "key");
    }

    /** Parses "<identifier> [ASC|DESC]" (keyword case-insensitive, default ASC). Throws RegistryException.invalid on bad input. */
    public static OrderBy parse(String text) {
        String clause = text == null ? "" : text;
        Cursor in = new Cursor(clause, detail -> RegistryException.invalid(
                "Invalid order_by clause '" + clause + "': " + detail));
        Cursor.Identifier id = in.identifier();
        boolean ascending = true;
        if (!in.atEnd()) {
            if (in.keyword("DESC")) {
                ascending = false;
            } else if (!in.keyword("ASC")) {
                throw in.error("invalid ordering '" + in.rest() + "'; use ASC or DESC");
            }
            if (!in.atEnd()) {
                throw in.error("unexpected '" + in.rest() + "' after the ordering");
            }
        }
        return new OrderBy(id.entity(), id.key(), ascending);
    }
}
