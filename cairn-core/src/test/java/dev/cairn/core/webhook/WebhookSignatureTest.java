package dev.cairn.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final String SECRET = "whsec_test-secret-0123456789";
    private static final String ID = "3f1c2a9e-0000-4000-8000-000000000001";
    private static final long TIMESTAMP = 1_795_770_000L;
    private static final byte[] BODY = "{\"delivery_id\":\"x\",\"topic\":\"ping\",\"event\":null}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void signsIdTimestampAndBodyWithHmacSha256() throws Exception {
        // Computed outside Java (Python's hmac module) for this exact input.
        assertThat(WebhookSignature.sign(SECRET, ID, TIMESTAMP, BODY))
                .isEqualTo("v1=feff8b1ea8ace5bfc96caf9bb039e5910caa90503364a3e8fea29d6490d27703");

        // What a receiver in Java computes from the documented scheme.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signed = ID + "." + TIMESTAMP + "." + new String(BODY, StandardCharsets.UTF_8);
        String expected = "v1=" + HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        assertThat(WebhookSignature.sign(SECRET, ID, TIMESTAMP, BODY)).isEqualTo(expected);
    }

    @Test
    void anyChangeToIdTimestampBodyOrSecretChangesTheSignature() {
        String original = WebhookSignature.sign(SECRET, ID, TIMESTAMP, BODY);
        assertThat(WebhookSignature.sign(SECRET, ID.replace('1', '2'), TIMESTAMP, BODY)).isNotEqualTo(original);
        assertThat(WebhookSignature.sign(SECRET, ID, TIMESTAMP + 1, BODY)).isNotEqualTo(original);
        assertThat(WebhookSignature.sign(SECRET + "x", ID, TIMESTAMP, BODY)).isNotEqualTo(original);
        byte[] changed = BODY.clone();
        changed[changed.length - 2] = 'L';
        assertThat(WebhookSignature.sign(SECRET, ID, TIMESTAMP, changed)).isNotEqualTo(original);
    }
}
