package dev.cairn.server.internal.files;

import java.util.Optional;

/**
 * One byte range of a file, from a single-range {@code Range} header of RFC 9110: {@code bytes=a-b}, {@code bytes=a-}
 * or {@code bytes=-n}. Headers this server does not serve as ranges (several ranges, other units, bad syntax) are
 * ignored, as the RFC allows, and the whole file is sent.
 */
record ByteRange(long start, long length) {
    /** A range that starts past the end of the file: answered 416. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, 0);

    long end() {
        return start + length - 1;
    }

    /** The range to send, empty for the whole file, or {@link #UNSATISFIABLE}. */
    static Optional<ByteRange> parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return Optional.empty();
        }
        String spec = header.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        Long first = number(spec.substring(0, dash));
        Long last = number(spec.substring(dash + 1));
        if (dash == 0) {
            if (last == null) {
                return Optional.empty();
            }
            if (last == 0 || size == 0) {
                return Optional.of(UNSATISFIABLE);
            }
            long length = Math.min(last, size);
            return Optional.of(new ByteRange(size - length, length));
        }
        if (first == null || (dash < spec.length() - 1 && last == null) || (last != null && last < first)) {
            return Optional.empty();
        }
        if (first >= size) {
            return Optional.of(UNSATISFIABLE);
        }
        long end = last == null ? size - 1 : Math.min(last, size - 1);
        return Optional.of(new ByteRange(first, end - first + 1));
    }

    private static Long number(String text) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(text);
    }
}
