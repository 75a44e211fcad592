package dev.cairn.client.internal;

import dev.cairn.api.ApiModels.FileInfo;
import dev.cairn.client.ChecksumMismatchException;
import dev.cairn.client.InvalidArgumentException;
import dev.cairn.client.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Map;

/** Writes downloaded files safely: inside the target directory only, verified, and whole or not at all. */
public final class Downloads {
    private Downloads() {}

    /**
     * Where an artifact path lands under {@code dir}; refuses absolute paths and paths that climb out of it, so a
     * hostile manifest cannot write elsewhere.
     */
    public static Path target(Path dir, String artifactPath) {
        Path root = dir.toAbsolutePath().normalize();
        if (artifactPath.isEmpty() || artifactPath.startsWith("/") || artifactPath.contains("\\")
                || artifactPath.indexOf('\0') >= 0) {
            throw refused(artifactPath, dir);
        }
        Path target = root.resolve(artifactPath).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw refused(artifactPath, dir);
        }
        return target;
    }

    /**
     * Streams {@code content} into a temporary file beside {@code target}, hashing as it goes, and moves it into
     * place only when size and sha256 match {@code expected}.
     */
    public static void write(InputStream content, FileInfo expected, Path target, Progress progress) {
        Path temp = null;
        try (InputStream in = content) {
            Files.createDirectories(target.getParent());
            // Not createTempFile: its owner-only permissions would stick to the downloaded file; this follows the umask.
            temp = Files.createFile(target.resolveSibling("." + target.getFileName() + "." + java.util.UUID.randomUUID() + ".part"));
            MessageDigest digest = Sha256.newDigest();
            long done = 0;
            byte[] buffer = new byte[64 * 1024];
            progress.update(expected.path(), 0, expected.size());
            try (OutputStream out = Files.newOutputStream(temp)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    done += n;
                    progress.update(expected.path(), done, expected.size());
                }
            }
            String actual = Sha256.hex(digest);
            if (done != expected.size() || !actual.equals(expected.sha256())) {
                throw new ChecksumMismatchException("file '" + expected.path() + "' is corrupt: expected sha256 "
                        + expected.sha256() + " (" + expected.size() + " bytes), received " + actual + " ("
                        + done + " bytes)");
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download '" + expected.path() + "' to " + target + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The failure being reported matters more than a leftover temp file.
                }
            }
        }
    }

    private static InvalidArgumentException refused(String artifactPath, Path dir) {
        return new InvalidArgumentException(0, "refusing to write file '" + artifactPath + "': it escapes " + dir,
                Map.of());
    }
}
