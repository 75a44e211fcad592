package dev.cairn.core.model;

/** A (model, version) pair, as answered by the reverse lineage queries. */
public record VersionKey(String model, int version) {
    @Override
    public String toString() {
        return model + ":" + version;
    }
}
