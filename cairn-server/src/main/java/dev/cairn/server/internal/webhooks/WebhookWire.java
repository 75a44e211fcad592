package dev.cairn.server.internal.webhooks;

import dev.cairn.api.ApiModels;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.webhook.Delivery;
import dev.cairn.core.webhook.DeliveryAttempt;
import dev.cairn.core.webhook.Webhook;
import java.time.Instant;

/** Webhooks and deliveries as the API shows them: topics by their names, times ISO-8601, never the secret. */
final class WebhookWire {
    private WebhookWire() {}

    static ApiModels.Webhook webhook(Webhook w) {
        return new ApiModels.Webhook(w.id(), w.url(), w.model(), w.topics().stream().map(EventKind::topic).toList(),
                w.description(), w.createdBy(), time(w.createdAt()), w.afterSeq());
    }

    static ApiModels.Delivery delivery(Delivery d) {
        return new ApiModels.Delivery(d.id(), d.webhookId(), d.eventSeq(), d.topic(), d.status().label(), d.attempts(),
                time(d.createdAt()), time(d.nextAttemptAt()), time(d.deliveredAt()), d.lastStatusCode(), d.lastError(),
                d.attemptLog().stream().map(WebhookWire::attempt).toList());
    }

    private static ApiModels.DeliveryAttempt attempt(DeliveryAttempt a) {
        return new ApiModels.DeliveryAttempt(a.attempt(), time(a.time()), a.statusCode(), a.error(), a.durationMillis());
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
