package dev.cairn.core.model;

import java.util.Objects;

/** One file of a version: normalised relative path, size in bytes and lower-case hex sha256. */
public record FileEntry(String path, long size, String sha256) {
    public FileEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }
}
