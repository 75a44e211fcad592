package dev.cairn.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretSealTest {
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final String SECRET = "whsec_receiver-secret-é-0123456789";
    final SecretSeal seal = SecretSeal.withKey(KEY);

    @Test
    void aSealedSecretOpensToItselfAndShowsNothingOfIt() {
        String stored = seal.seal(SECRET);
        assertThat(stored).startsWith("sealed:v1:" + seal.keyId() + ":").doesNotContain("receiver-secret");
        assertThat(SecretSeal.isSealed(stored)).isTrue();
        assertThat(seal.sealedWithThisKey(stored)).isTrue();
        assertThat(seal.open(stored)).isEqualTo(SECRET);
        assertThat(seal.seal(SECRET)).as("a fresh nonce each time").isNotEqualTo(stored);
        assertThat(seal.keyId()).hasSize(8).matches("[0-9a-f]+");
    }

    @Test
    void withoutAKeySecretsAreStoredAsGiven() {
        SecretSeal none = SecretSeal.none();
        assertThat(none.hasKey()).isFalse();
        assertThat(none.seal(SECRET)).isEqualTo(SECRET);
        assertThat(none.open(SECRET)).isEqualTo(SECRET);
        assertThat(seal.open(SECRET)).as("stored before the key was set").isEqualTo(SECRET);
        assertThat(none.sealedWithThisKey(seal.seal(SECRET))).isFalse();
    }

    @Test
    void aMissingOrOtherKeyOrAnAlteredSealIsRefusedWithTheKeyItNeeds() {
        String stored = seal.seal(SECRET);
        assertRefused(() -> SecretSeal.none().open(stored), seal.keyId(), SecretSeal.KEY_VARIABLE);
        SecretSeal other = SecretSeal.withKey("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
        assertRefused(() -> other.open(stored), seal.keyId(), other.keyId());

        char last = stored.charAt(stored.length() - 2);
        String altered = stored.substring(0, stored.length() - 2) + (last == 'A' ? 'B' : 'A')
                + stored.charAt(stored.length() - 1);
        assertRefused(() -> seal.open(altered), "altered");
        assertRefused(() -> seal.open("sealed:v1:" + seal.keyId() + ":"), "altered");
        assertRefused(() -> seal.open("sealed:v9:xyz"), "does not know");
    }

    @Test
    void theKeyIsThirtyTwoBytesOfBase64() {
        String text = Base64.getEncoder().encodeToString(KEY);
        assertThat(SecretSeal.fromBase64(" " + text + "\n")).isEqualTo(seal);
        assertThat(SecretSeal.fromBase64(text).open(seal.seal(SECRET))).isEqualTo(SECRET);
        assertThatThrownBy(() -> SecretSeal.fromBase64("not base64!")).hasMessageContaining(SecretSeal.KEY_VARIABLE)
                .hasMessageContaining("openssl rand -base64 32");
        assertThatThrownBy(() -> SecretSeal.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> SecretSeal.withKey(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThat(seal).isNotEqualTo(SecretSeal.none()).hasToString("SecretSeal[key " + seal.keyId() + "]");
        assertThat(SecretSeal.none()).isEqualTo(SecretSeal.none());
    }

    private static void assertRefused(Runnable open, String... mentions) {
        assertThatThrownBy(open::run).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
            assertThat(e.getMessage()).contains(mentions);
        });
    }
}
