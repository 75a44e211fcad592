package dev.cairn.client.internal;

import dev.cairn.api.ApiModels.FileInfo;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.client.ChecksumMismatchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A content-addressed file cache: {@code blobs/<sha256>} holds each distinct file once, {@code partial/<sha256>} an
 * interrupted download that the next attempt continues with a Range request, and {@code versions/<digest>/<path>}
 * a version's files assembled from the blobs (hard links, copies where links are not possible).
 *
 * <p>Every blob is verified (size and sha256) each time a version is assembled from it; a blob that no longer matches
 * is deleted and downloaded again, so a damaged cache repairs itself instead of feeding a loader bad bytes. One
 * writer per directory: the cache does not lock against other processes.
 */
public final class BlobCache {
    /** A file body starting at byte {@code start} (0 when the server ignored the requested range). */
    public record Opened(InputStream body, long start) {}

    /** Opens a version's file from byte {@code offset}, or from 0 when the server does not honour ranges. */
    @FunctionalInterface
    public interface Source {
        Opened open(Version version, FileInfo file, long offset);
    }

    private final Path blobs;
    private final Path partial;
    private final Path versions;
    private final AtomicLong downloadedBytes = new AtomicLong();

    public BlobCache(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        this.blobs = root.resolve("blobs");
        this.partial = root.resolve("partial");
        this.versions = root.resolve("versions");
    }

    /** Bytes received from the server since this cache object was created. */
    public long downloadedBytes() {
        return downloadedBytes.get();
    }

    /** Where an interrupted download of the blob {@code sha256} is kept. */
    public Path partialFile(String sha256) {
        return partial.resolve(sha256);
    }

    public Path blobFile(String sha256) {
        return blobs.resolve(sha256);
    }

    /**
     * Makes {@code versions/<digest>/} hold exactly-verified copies of {@code files}, downloading only the blobs the
     * cache lacks, and answers that directory.
     */
    public Path assemble(Version version, List<FileInfo> files, Source source) {
        Path dir = versions.resolve(versionKey(version));
        List<Path> targets = files.stream().map(f -> Downloads.target(dir, f.path())).toList();
        try {
            for (int i = 0; i < files.size(); i++) {
                FileInfo file = files.get(i);
                Path blob = blob(version, file, source);
                Path target = targets.get(i);
                if (!Files.exists(target) || !(Files.isSameFile(target, blob) || matches(target, file))) {
                    place(blob, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot assemble " + version.name() + " version " + version.version()
                    + " in " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /** The verified blob for {@code file}, downloaded (or its partial download continued) when missing or damaged. */
    private Path blob(Version version, FileInfo file, Source source) throws IOException {
        String sha256 = Sha256.requireHex(file.sha256());
        Path blob = blobs.resolve(sha256);
        if (Files.exists(blob)) {
            if (matches(blob, file)) {
                return blob;
            }
            Files.delete(blob);
        }
        Files.createDirectories(partial);
        Files.createDirectories(blobs);
        Path part = partial.resolve(sha256);
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (have >= file.size() && !matches(part, file)) {
            Files.delete(part);
            have = 0;
        }
        if (have < file.size()) {
            Opened opened = source.open(version, file, have);
            boolean append = opened.start() == have && have > 0;
            try (InputStream in = opened.body();
                 OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    downloadedBytes.addAndGet(n);
                }
            }
        }
        if (!matches(part, file)) {
            // A partial download that does not add up is useless to resume: start over next time.
            Files.deleteIfExists(part);
            throw new ChecksumMismatchException("file '" + file.path() + "' of " + version.name() + " version "
                    + version.version() + " is corrupt: expected sha256 " + sha256 + " (" + file.size() + " bytes)");
        }
        Files.move(part, blob, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return blob;
    }

    /** Puts {@code blob} at {@code target} through a temporary name, so the target is never half written. */
    private static void place(Path blob, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createLink(temp, blob);
        } catch (UnsupportedOperationException | IOException linkRefused) {
            // Another file system, or links not allowed: a copy costs space but is just as correct.
            Files.copy(blob, temp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean matches(Path file, FileInfo expected) throws IOException {
        return Files.size(file) == expected.size() && Sha256.of(file).equals(expected.sha256());
    }

    /** The version's manifest digest names its directory; identical content shares one. */
    private static String versionKey(Version version) {
        String digest = version.digest();
        if (digest != null && digest.startsWith("sha256:")) {
            return Sha256.requireHex(digest.substring("sha256:".length()));
        }
        throw new IllegalArgumentException(version.name() + " version " + version.version()
                + " has no manifest digest; only committed versions can be followed");
    }
}
