package dev.cairn.core;

import dev.cairn.core.resolve.Reference;
import dev.cairn.core.resolve.Resolution;
import dev.cairn.core.store.MetadataStore;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolutions kept while their model is unchanged: same id (a model deleted and created again under its name is
 * another model) and same generation. Reading both is one indexed row, so a hit costs one query however many files,
 * metrics and datasets the version has. Correct across replicas, since they are read from the shared database on
 * every call.
 */
final class ResolveCache {
    private static final int MAX_ENTRIES = 50_000;

    private record Entry(MetadataStore.ModelStamp stamp, Resolution resolution) {}

    private final ConcurrentHashMap<Reference, Entry> entries = new ConcurrentHashMap<>();

    /** The cached resolution while the model is the same one (its id) and unchanged (its generation), else null. */
    Resolution get(Reference reference, MetadataStore.ModelStamp stamp) {
        Entry entry = entries.get(reference);
        return entry != null && entry.stamp().equals(stamp) ? entry.resolution() : null;
    }

    void put(Reference reference, MetadataStore.ModelStamp stamp, Resolution resolution) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear(); // crude but bounded; a full cache refills from the next requests
        }
        entries.put(reference, new Entry(stamp, resolution));
    }
}
