package dev.cairn.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReceiverAddressesTest {
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
            "224.0.0.1", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "::"})
    void privateAddressesAreRefusedUnlessAllowed(String ip) throws Exception {
        assertThat(ReceiverAddresses.isPrivate(InetAddress.getByName(ip))).isTrue();
        URI url = ReceiverAddresses.parse("http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":8080/hook");
        assertThatThrownBy(() -> new ReceiverAddresses(false).check(url))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("--allow-private-webhooks").hasMessageContaining("CAIRN_WEBHOOKS_ALLOW_PRIVATE");
        assertThatCode(() -> new ReceiverAddresses(true).check(url)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "203.0.113.7", "2001:db8::1"})
    void publicAddressesAreAllowed(String ip) throws Exception {
        assertThat(ReceiverAddresses.isPrivate(InetAddress.getByName(ip))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hook", "ftp://example.org/x", "http:///path", "http://user:pw@example.org/",
            "https://example.org/#frag", "http://exa mple.org/"})
    void onlyAbsoluteHttpUrlsWithAHostAreAccepted(String url) {
        assertThatThrownBy(() -> ReceiverAddresses.parse(url)).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }
}
