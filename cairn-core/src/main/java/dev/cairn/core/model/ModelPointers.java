package dev.cairn.core.model;

import java.util.Map;

/** What points where in one model: live stages (label to version) and aliases (alias to version). */
public record ModelPointers(Map<String, Integer> stages, Map<String, Integer> aliases) {
    public ModelPointers {
        stages = Map.copyOf(stages);
        aliases = Map.copyOf(aliases);
    }

    /** The version a pointer holds now, or null. */
    public Integer holder(Pointer pointer) {
        return pointer.kind() == Pointer.Kind.STAGE ? stages.get(pointer.name()) : aliases.get(pointer.name());
    }
}
