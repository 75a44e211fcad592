package dev.cairn.core.model;

import java.util.Objects;

/** Something that points at a version: a live stage (Staging, Production) or an alias. */
public record Pointer(Kind kind, String name) {
    public enum Kind { STAGE, ALIAS }

    public Pointer {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public static Pointer stage(Stage stage) {
        return new Pointer(Kind.STAGE, stage.label());
    }

    public static Pointer alias(String alias) {
        return new Pointer(Kind.ALIAS, alias);
    }

    /** The stored key, {@code stage:Production} or {@code alias:champion}. */
    public String key() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + name;
    }

    public static Pointer fromKey(String key) {
        int colon = key.indexOf(':');
        return new Pointer(Kind.valueOf(key.substring(0, colon).toUpperCase(java.util.Locale.ROOT)), key.substring(colon + 1));
    }

    @Override
    public String toString() {
        return kind == Kind.STAGE ? name : "@" + name;
    }
}
