package dev.cairn.core.tracking;

/**
 * A file in the proxied-artifact namespace ({@code mlflow-artifacts:/<path>}): its full normalised path, size and the
 * sha256 of the blob holding its bytes. Writing the same path again points it at new bytes.
 */
public record Artifact(String path, long size, String sha256) {}
