package dev.cairn.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidateTest {

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/../../x", "/etc/passwd", "a\\b", "a\0b", "", "/", ".", "./", "a/./b", "x\ny"})
    void rejectsUnsafePaths(String path) {
        assertThatThrownBy(() -> Validate.artifactPath(path))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void normalisesDoubledSlashes() {
        assertThat(Validate.artifactPath("model//weights/w.bin")).isEqualTo("model/weights/w.bin");
        assertThat(Validate.artifactPath("model.onnx/")).isEqualTo("model.onnx");
    }

    @Test
    void rejectsPathsOverTheByteLimit() {
        String longName = "é".repeat(513); // 1026 bytes in UTF-8
        assertThatThrownBy(() -> Validate.artifactPath(longName)).hasMessageContaining("1024 bytes");
        assertThat(Validate.artifactPath("é".repeat(512))).hasSize(512);
    }

    /** Whatever a client sends, an accepted path stays inside the version: relative, no dot segments, no escapes. */
    @Property(tries = 2000)
    void acceptedPathsAreSafeAndStable(@ForAll("paths") String path) {
        String normal;
        try {
            normal = Validate.artifactPath(path);
        } catch (RegistryException rejected) {
            assertThat(rejected.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            return;
        }
        assertThat(normal).doesNotStartWith("/").doesNotEndWith("/").doesNotContain("\\", "\0", "//").isNotEmpty();
        assertThat(normal.split("/")).doesNotContain("..", ".", "");
        assertThat(Validate.artifactPath(normal)).isEqualTo(normal);
        assertThat(java.nio.file.Path.of("/root").resolve(normal).normalize().startsWith("/root")).isTrue();
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.of("..", ".", "", "a", "b.bin", "weights", "\0", "\\", "c\\d", "\n", "é", " x "),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(8));
        return segment.list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join("/", parts))
                .flatMap(p -> Arbitraries.of(p, "/" + p, p + "/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " lead", "trail ", "a/b", "tab\there"})
    void rejectsInvalidModelNames(String name) {
        assertThatThrownBy(() -> Validate.modelName(name)).isInstanceOf(RegistryException.class);
    }

    @Test
    void acceptsNamesWithSpacesAndUnicode() {
        assertThat(Validate.modelName("fraud detector ü@v2")).isEqualTo("fraud detector ü@v2");
        assertThatThrownBy(() -> Validate.modelName("x".repeat(257))).hasMessageContaining("256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "v1", "v42", "Champion", "1abc", "", "a b", "-x"})
    void rejectsInvalidOrReservedAliases(String alias) {
        assertThatThrownBy(() -> Validate.alias(alias)).isInstanceOf(RegistryException.class);
    }

    @Test
    void acceptsAliases() {
        assertThat(Validate.alias("champion")).isEqualTo("champion");
        assertThat(Validate.alias("canary_2-eu")).isEqualTo("canary_2-eu");
        assertThat(Validate.alias("version")).isEqualTo("version");
    }

    @Test
    void oversizedFieldsAreTooLarge() {
        assertThatThrownBy(() -> Validate.description("d".repeat(Validate.MAX_DESCRIPTION + 1)))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
        assertThatThrownBy(() -> Validate.tag("k".repeat(251), "v"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
        assertThatThrownBy(() -> Validate.metrics(java.util.Map.of("m".repeat(251), 1.0)))
                .hasMessageContaining("metric name");
    }

    @Test
    void sha256AcceptsPrefixAndUpperCase() {
        String hex = "AB".repeat(32);
        assertThat(Validate.sha256("digest", "sha256:" + hex)).isEqualTo(hex.toLowerCase());
        assertThatThrownBy(() -> Validate.sha256("digest", "abc")).hasMessageContaining("64 hex digits");
    }
}
