package dev.cairn.core.tracking;

import java.util.List;

/** A run's artifact directory: the run's artifact URI and the directory's children, with paths relative to the run root. */
public record RunListing(String rootUri, List<ArtifactEntry> files) {
    public RunListing {
        files = List.copyOf(files);
    }
}
