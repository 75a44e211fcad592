package dev.cairn.client;

/** Told how many bytes of a file have been transferred so far; called from the transferring thread. */
@FunctionalInterface
public interface Progress {
    Progress NONE = (path, done, total) -> {};

    /**
     * @param path  the artifact path being transferred
     * @param done  bytes transferred so far
     * @param total the file's size in bytes
     */
    void update(String path, long done, long total);
}
