package dev.cairn.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
    @Test
    void bytesBelowOneKibibyteAreCountedExactly() {
        assertThat(ByteSize.format(0)).isEqualTo("0 B");
        assertThat(ByteSize.format(1023)).isEqualTo("1023 B");
    }

    @Test
    void largerCountsUseBinaryUnitsWithOneDecimal() {
        assertThat(ByteSize.format(1024)).isEqualTo("1.0 KiB");
        assertThat(ByteSize.format(1536)).isEqualTo("1.5 KiB");
        assertThat(ByteSize.format(5L << 20)).isEqualTo("5.0 MiB");
        assertThat(ByteSize.format(3L << 30)).isEqualTo("3.0 GiB");
        assertThat(ByteSize.format(2048L << 40)).as("TiB is the largest unit").isEqualTo("2048.0 TiB");
    }
}
