package dev.cairn.core;

import dev.cairn.core.resolve.Reference;
import dev.cairn.core.resolve.Resolution;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolutions kept while their model's generation is unchanged. Reading the generation is one indexed row, so a hit
 * costs one query however many files, metrics and datasets the version has. Correct across replicas, since the
 * generation is read from the shared database on every call.
 */
final class ResolveCache {
    private static final int MAX_ENTRIES = 50_000;

    private record Entry(long generation, Resolution resolution) {}

    private final ConcurrentHashMap<Reference, Entry> entries = new ConcurrentHashMap<>();

    Resolution get(Reference reference, long generation) {
        Entry entry = entries.get(reference);
        return entry != null && entry.generation() == generation ? entry.resolution() : null;
    }

    void put(Reference reference, long generation, Resolution resolution) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear(); // crude but bounded; a full cache refills from the next requests
        }
        entries.put(reference, new Entry(generation, resolution));
    }
}
