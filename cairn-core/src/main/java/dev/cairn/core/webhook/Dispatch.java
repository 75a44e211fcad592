package dev.cairn.core.webhook;

import dev.cairn.core.model.Event;

/**
 * A delivery leased for sending: where it goes ({@code webhook}, secret included), what it is, and the event it
 * carries ({@code event} null for a ping).
 */
public record Dispatch(Webhook webhook, Delivery delivery, Event event) {}
