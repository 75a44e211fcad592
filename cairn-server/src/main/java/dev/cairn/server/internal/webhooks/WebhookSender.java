package dev.cairn.server.internal.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cairn.api.ApiModels;
import dev.cairn.core.RegistryException;
import dev.cairn.core.webhook.Delivery;
import dev.cairn.core.webhook.Dispatch;
import dev.cairn.core.webhook.ReceiverAddresses;
import dev.cairn.core.webhook.WebhookService;
import dev.cairn.core.webhook.WebhookSignature;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Wire;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one attempt of a leased delivery and records it: the signed POST, then the outcome through the webhook
 * service. The receiver's address is checked again first, as a DNS answer may have changed since the webhook was made.
 * Redirects are not followed: a receiver answers where it was registered, or the attempt fails.
 */
public final class WebhookSender {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final int MAX_ERROR = 500;

    private final WebhookService webhooks;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** What a receiver gets: the delivery's id and topic and the event, as the feed shows it (null for a ping). */
    record Body(String deliveryId, String topic, @JsonInclude(JsonInclude.Include.ALWAYS) ApiModels.Event event) {}

    public WebhookSender(WebhookService webhooks, Clock clock) {
        this.webhooks = webhooks;
        this.clock = clock;
    }

    /** Sends once and records the attempt; the delivery as it now stands, empty when its webhook was deleted. */
    public Optional<Delivery> attempt(Dispatch dispatch) {
        Delivery delivery = dispatch.delivery();
        byte[] body = JsonReply.serialize(new Body(delivery.id(), delivery.topic(),
                dispatch.event() == null ? null : Wire.event(dispatch.event())));
        long started = System.nanoTime();
        Integer status = null;
        String error = null;
        boolean interrupted = false;
        try {
            URI url = ReceiverAddresses.parse(dispatch.webhook().url());
            webhooks.addresses().check(url);
            long timestamp = clock.instant().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "cairn-webhooks")
                    .header(WebhookSignature.ID_HEADER, delivery.id())
                    .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                    .header(WebhookSignature.TOPIC_HEADER, delivery.topic())
                    .header(WebhookSignature.SIGNATURE_HEADER,
                            WebhookSignature.sign(webhooks.signingSecret(dispatch.webhook()), delivery.id(), timestamp,
                                    body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            // The answer's body is not kept: receivers say what they need to with the status.
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status < 200 || status >= 300) {
                error = "the receiver answered HTTP " + status;
            }
        } catch (RegistryException e) {
            error = "refused: " + e.getMessage();
        } catch (HttpTimeoutException e) {
            error = "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        } catch (ConnectException e) {
            error = "cannot connect: " + (e.getMessage() == null ? "connection refused" : e.getMessage());
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            // Recorded before the interrupt is restored, so the delivery is due again at once after a restart rather
            // than when its lease runs out.
            interrupted = true;
            error = "interrupted: the server is stopping";
        } catch (IllegalArgumentException e) {
            error = "cannot send: " + e.getMessage();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (error != null) {
            LOG.debug("webhook {} delivery {} attempt failed: {}", dispatch.webhook().id(), delivery.id(), error);
        }
        try {
            return webhooks.record(dispatch, status, error == null ? null : shorten(error), millis);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String shorten(String text) {
        return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR) + "...";
    }
}
