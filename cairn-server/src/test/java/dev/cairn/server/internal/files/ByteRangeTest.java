package dev.cairn.server.internal.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ByteRangeTest {
    @Test
    void singleRanges() {
        assertThat(ByteRange.parse("bytes=0-99", 1000)).contains(new ByteRange(0, 100));
        assertThat(ByteRange.parse("bytes=900-", 1000)).contains(new ByteRange(900, 100));
        assertThat(ByteRange.parse("bytes=-10", 1000)).contains(new ByteRange(990, 10));
        assertThat(ByteRange.parse("bytes=-5000", 1000)).contains(new ByteRange(0, 1000));
        assertThat(ByteRange.parse("bytes=990-5000", 1000)).contains(new ByteRange(990, 10));
    }

    @Test
    void unsatisfiable() {
        assertThat(ByteRange.parse("bytes=1000-", 1000)).contains(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=-0", 1000)).contains(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=0-0", 0)).contains(ByteRange.UNSATISFIABLE);
    }

    @Test
    void ignoredHeadersServeTheWholeFile() {
        for (String header : new String[] {null, "", "items=0-1", "bytes=0-1,4-5", "bytes=5-1", "bytes=a-b", "bytes=-",
                "bytes=1-x", "bytes=99999999999999999999-"}) {
            assertThat(ByteRange.parse(header, 1000)).as(String.valueOf(header)).isEqualTo(Optional.empty());
        }
    }
}
