package dev.cairn.server.internal.webhooks;

import dev.cairn.api.ApiModels;
import dev.cairn.core.RegistryException;
import dev.cairn.core.model.Page;
import dev.cairn.core.webhook.Delivery;
import dev.cairn.core.webhook.DeliveryStatus;
import dev.cairn.core.webhook.NewWebhook;
import dev.cairn.core.webhook.WebhookService;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.ApiRequest;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import io.javalin.http.Context;
import java.util.List;

/**
 * Webhooks: subscribe, list, delete, send a test ping, read the delivery log and replay a delivery. Admins only, at
 * the gate and again in the service: URLs and secrets are sensitive, and a webhook makes the server reach out.
 */
public final class WebhookRoutes {
    private static final String WEBHOOKS = "/api/v1/webhooks";
    private static final String WEBHOOK = WEBHOOKS + "/{id}";
    private static final String DELIVERIES = WEBHOOK + "/deliveries";
    private static final String DELIVERY = DELIVERIES + "/{delivery}";

    private final WebhookService webhooks;
    private final WebhookSender sender;

    public WebhookRoutes(WebhookService webhooks, WebhookSender sender) {
        this.webhooks = webhooks;
        this.sender = sender;
    }

    public List<Route> routes() {
        return List.of(
                Route.post(WEBHOOKS, Access.ADMIN, this::create),
                Route.get(WEBHOOKS, Access.ADMIN, ctx -> JsonReply.ok(ctx, new ApiModels.WebhookList(
                        webhooks.list(ApiRequest.of(ctx).actor()).stream().map(WebhookWire::webhook).toList()))),
                Route.get(WEBHOOK, Access.ADMIN, ctx -> JsonReply.ok(ctx,
                        WebhookWire.webhook(webhooks.get(ApiRequest.of(ctx).actor(), ApiRequest.pathId(ctx, "webhook"))))),
                Route.delete(WEBHOOK, Access.ADMIN, ctx -> JsonReply.ok(ctx,
                        WebhookWire.webhook(webhooks.delete(ApiRequest.of(ctx).actor(), ApiRequest.pathId(ctx, "webhook"))))),
                Route.post(WEBHOOK + "/test", Access.ADMIN, this::test),
                Route.get(DELIVERIES, Access.ADMIN, this::deliveries),
                Route.get(DELIVERY, Access.ADMIN, ctx -> JsonReply.ok(ctx, WebhookWire.delivery(
                        webhooks.delivery(ApiRequest.of(ctx).actor(), ApiRequest.pathId(ctx, "webhook"), ctx.pathParam("delivery"))))),
                Route.post(DELIVERY + "/replay", Access.ADMIN, ctx -> JsonReply.created(ctx, WebhookWire.delivery(
                        webhooks.replay(ApiRequest.of(ctx).actor(), ApiRequest.pathId(ctx, "webhook"), ctx.pathParam("delivery"))))));
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.CreateWebhook body = request.body(ApiModels.CreateWebhook.class);
        WebhookService.Created created = webhooks.create(request.actor(),
                new NewWebhook(body.url(), body.model(), body.events(), body.secret(), body.description()));
        JsonReply.created(ctx, new ApiModels.NewWebhook(WebhookWire.webhook(created.webhook()), created.secret()));
    }

    /** One ping, sent now through the same path as every delivery; the answer says how the receiver took it. */
    private void test(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        long id = ApiRequest.pathId(ctx, "webhook");
        Delivery delivery = sender.attempt(webhooks.ping(request.actor(), id)).orElseThrow(() ->
                RegistryException.notFound("no webhook has id " + id));
        JsonReply.ok(ctx, WebhookWire.delivery(delivery));
    }

    private void deliveries(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        String status = request.query("status");
        Page<Delivery> page = webhooks.deliveries(request.actor(), ApiRequest.pathId(ctx, "webhook"),
                status == null || status.isEmpty() ? null : DeliveryStatus.parse(status), request.limit(),
                request.pageToken());
        JsonReply.ok(ctx, new ApiModels.DeliveryList(page.items().stream().map(WebhookWire::delivery).toList(),
                page.nextPageToken()));
    }
}
