package dev.cairn.core.model;

import java.util.List;
import java.util.Objects;

/** A version's input and output schema: named, typed columns. */
public record Signature(List<Column> inputs, List<Column> outputs) {
    public Signature {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** One column; {@code optional} inputs may be left out by callers. */
    public record Column(String name, String type, boolean optional) {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }
}
