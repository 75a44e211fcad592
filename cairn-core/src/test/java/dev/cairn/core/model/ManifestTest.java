package dev.cairn.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    @Test
    void digestIsTheSha256OfTheCanonicalLinesSortedByPath() throws Exception {
        Manifest manifest = Manifest.of(List.of(new FileEntry("z.bin", 2, B), new FileEntry("model.onnx", 10, A)));

        String canonical = A + " 10 model.onnx\n" + B + " 2 z.bin\n";
        String expected = "sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        assertThat(manifest.digest()).isEqualTo(expected);
        assertThat(manifest.files()).extracting(FileEntry::path).containsExactly("model.onnx", "z.bin");
        assertThat(manifest.totalSize()).isEqualTo(12);
    }

    @Test
    void orderOfUploadDoesNotChangeTheDigestButContentDoes() {
        FileEntry x = new FileEntry("x", 1, A);
        FileEntry y = new FileEntry("y", 1, B);
        assertThat(Manifest.of(List.of(x, y)).digest()).isEqualTo(Manifest.of(List.of(y, x)).digest());
        assertThat(Manifest.of(List.of(x, new FileEntry("y", 1, A))).digest()).isNotEqualTo(Manifest.of(List.of(x, y)).digest());
    }

    @Test
    void pathsSortByUtf8BytesNotUtf16() {
        // U+FF21 sorts before U+1F600 in UTF-16 (surrogates) order but after it by UTF-8 bytes? It is the reverse:
        // by UTF-8 bytes EF BC A1 < F0 9F 98 80, which matches code point order.
        Manifest manifest = Manifest.of(List.of(new FileEntry("\uD83D\uDE00", 1, A), new FileEntry("\uFF21", 1, B)));
        assertThat(manifest.files()).extracting(FileEntry::path).containsExactly("\uFF21", "\uD83D\uDE00");
    }
}
