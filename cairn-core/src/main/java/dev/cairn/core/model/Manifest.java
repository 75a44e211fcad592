package dev.cairn.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The files of a version sorted by path, and its root digest.
 *
 * <p>The canonical form hashed into the digest is one line per file, in the byte order of the UTF-8 paths:
 * {@code <sha256> <size> <path>\n}. Anyone can recompute it with a few lines of shell.
 */
public record Manifest(List<FileEntry> files, String digest) {
    /** UTF-8 byte order, so the canonical form does not depend on Java's UTF-16 string order. */
    public static final Comparator<String> PATH_ORDER =
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    public Manifest {
        List<FileEntry> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparing(FileEntry::path, PATH_ORDER));
        files = List.copyOf(sorted);
    }

    /** A manifest of these files with its digest computed. */
    public static Manifest of(List<FileEntry> files) {
        Manifest unsealed = new Manifest(files, null);
        return new Manifest(unsealed.files(), digestOf(unsealed.files()));
    }

    public long totalSize() {
        return files.stream().mapToLong(FileEntry::size).sum();
    }

    public static String canonical(List<FileEntry> sortedFiles) {
        StringBuilder text = new StringBuilder();
        for (FileEntry file : sortedFiles) {
            text.append(file.sha256()).append(' ').append(file.size()).append(' ').append(file.path()).append('\n');
        }
        return text.toString();
    }

    private static String digestOf(List<FileEntry> sortedFiles) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] hash = sha.digest(canonical(sortedFiles).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
