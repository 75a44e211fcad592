package dev.cairn.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class S3LocationTest {
    private static final URI MINIO = URI.create("http://localhost:9000");

    @Test
    void parsesBucketAndPrefix() {
        assertThat(S3Location.parse("s3://models/cairn/blobs/", MINIO, true))
                .isEqualTo(new S3Location("models", "cairn/blobs", MINIO, true, null));
        assertThat(S3Location.parse("s3://models", null, false))
                .isEqualTo(new S3Location("models", "", null, false, null));
        assertThat(S3Location.parse("s3://models/", null, false).prefix()).isEmpty();
    }

    @Test
    void keysGoUnderThePrefix() {
        assertThat(S3Location.parse("s3://models/a/b", null, false).key("sha256/x")).isEqualTo("a/b/sha256/x");
        assertThat(S3Location.parse("s3://models", null, false).key("sha256/x")).isEqualTo("sha256/x");
    }

    @Test
    void refusesWhatIsNotAnS3Location() {
        for (String bad : new String[] {"models/x", "s3://", "s3:///x", "s3://a/x", "s3://bad bucket/x",
                "s3://models//x", "file:///tmp"}) {
            assertThatThrownBy(() -> S3Location.parse(bad, null, false))
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> S3Location.parse("s3://models", URI.create("localhost:9000"), true))
                .isInstanceOf(RegistryException.class);
    }
}
