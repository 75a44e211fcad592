package dev.cairn.core.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a delivery is signed: {@code v1=} and the lower-case hex HMAC-SHA256, keyed with the webhook's secret (UTF-8),
 * of {@code DELIVERY_ID.TIMESTAMP.BODY}. Covering the id and the timestamp lets a receiver refuse a replayed or
 * re-labelled request, not only a changed body.
 */
public final class WebhookSignature {
    /** The delivery's id: the same on every retry, so receivers de-duplicate by it. */
    public static final String ID_HEADER = "Cairn-Webhook-Id";
    /** Unix seconds of this attempt. */
    public static final String TIMESTAMP_HEADER = "Cairn-Webhook-Timestamp";
    public static final String TOPIC_HEADER = "Cairn-Webhook-Topic";
    public static final String SIGNATURE_HEADER = "Cairn-Webhook-Signature";
    public static final String VERSION = "v1";

    private WebhookSignature() {}

    /** The value of the signature header for one attempt. */
    public static String sign(String secret, String deliveryId, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((deliveryId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return VERSION + "=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
