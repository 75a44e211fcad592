package dev.cairn.core.webhook;

import dev.cairn.core.RegistryException;
import java.util.Locale;

/** Where a delivery stands. */
public enum DeliveryStatus {
    /** Not yet answered with 2xx; tried again at its next attempt time. */
    PENDING,
    /** The receiver answered 2xx. */
    DELIVERED,
    /** Retries ran out before the receiver answered 2xx. */
    FAILED;

    /** The lower-case name the API uses. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryStatus parse(String text) {
        for (DeliveryStatus status : values()) {
            if (text != null && status.label().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return status;
            }
        }
        throw RegistryException.invalid("unknown delivery status '" + text + "': expected pending, delivered or failed");
    }
}
