package dev.cairn.core.tracking;

/**
 * One immediate child of an artifact directory: a file with its size, or a directory (size 0) holding at least one
 * file somewhere below it. {@code name} is the basename.
 */
public record ArtifactEntry(String name, boolean directory, long size) {}
