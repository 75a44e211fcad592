package dev.cairn.core.model;

import dev.cairn.core.RegistryException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What an audit event records. */
public enum EventKind {
    MODEL_CREATED,
    MODEL_UPDATED,
    MODEL_TAG_SET,
    MODEL_TAG_DELETED,
    MODEL_DELETED,
    /** Payload {@code from} and {@code to}; recorded under the new name, earlier events keep the old one. */
    MODEL_RENAMED,
    VERSION_CREATED,
    FILE_ADDED,
    VERSION_COMMITTED,
    VERSION_UPDATED,
    VERSION_TAG_SET,
    VERSION_TAG_DELETED,
    VERSION_DELETED,
    STAGE_TRANSITION,
    ALIAS_SET,
    ALIAS_DELETED,
    ROLLBACK,
    // --- governance: model-level ones name the model, the others (users, tokens, default policy) name none
    USER_CREATED,
    /** Payload {@code user}, {@code from}, {@code to}: a changed registry-wide role. */
    USER_ROLE_SET,
    /** Payload {@code user}, {@code token_id}, {@code expires_at}; never the secret. */
    TOKEN_CREATED,
    TOKEN_REVOKED,
    /** Payload {@code user}, {@code role}: a per-model grant. */
    GRANT_SET,
    GRANT_DELETED,
    /** Payload {@code policy} (its text); for the default policy the event names no model. */
    POLICY_SET,
    POLICY_DELETED,
    /** Payload {@code request}, {@code target}, {@code comment}. */
    REQUEST_CREATED,
    /** One approver's approval; the transition it completes, if any, is its own event in the same transaction. */
    REQUEST_APPROVED,
    REQUEST_REJECTED,
    REQUEST_CANCELLED,
    /** A promotion refused by policy: payload {@code target} and {@code failed} (the failed checks). */
    PROMOTION_BLOCKED,
    /**
     * Payload {@code webhook} (its id), {@code host} (never the whole URL, which may carry a receiver's token) and
     * {@code topics}; names the webhook's model, or none when it follows every model.
     */
    WEBHOOK_CREATED,
    /** Payload {@code webhook} and {@code host}. */
    WEBHOOK_DELETED;

    /**
     * The name webhooks use for this kind: lower-case, dotted, {@code subject.verb}, such as {@code stage.transitioned}.
     * Every kind has one, so a new kind cannot be added without naming its topic.
     */
    public String topic() {
        return switch (this) {
            case MODEL_CREATED -> "model.created";
            case MODEL_UPDATED -> "model.updated";
            case MODEL_TAG_SET -> "model.tag_set";
            case MODEL_TAG_DELETED -> "model.tag_deleted";
            case MODEL_DELETED -> "model.deleted";
            case MODEL_RENAMED -> "model.renamed";
            case VERSION_CREATED -> "version.created";
            case FILE_ADDED -> "version.file_added";
            case VERSION_COMMITTED -> "version.registered";
            case VERSION_UPDATED -> "version.updated";
            case VERSION_TAG_SET -> "version.tag_set";
            case VERSION_TAG_DELETED -> "version.tag_deleted";
            case VERSION_DELETED -> "version.deleted";
            case STAGE_TRANSITION -> "stage.transitioned";
            case ALIAS_SET -> "alias.set";
            case ALIAS_DELETED -> "alias.deleted";
            case ROLLBACK -> "stage.rolled_back";
            case USER_CREATED -> "user.created";
            case USER_ROLE_SET -> "user.role_set";
            case TOKEN_CREATED -> "token.created";
            case TOKEN_REVOKED -> "token.revoked";
            case GRANT_SET -> "grant.set";
            case GRANT_DELETED -> "grant.deleted";
            case POLICY_SET -> "policy.set";
            case POLICY_DELETED -> "policy.deleted";
            case REQUEST_CREATED -> "request.created";
            case REQUEST_APPROVED -> "request.approved";
            case REQUEST_REJECTED -> "request.rejected";
            case REQUEST_CANCELLED -> "request.cancelled";
            case PROMOTION_BLOCKED -> "promotion.blocked";
            case WEBHOOK_CREATED -> "webhook.created";
            case WEBHOOK_DELETED -> "webhook.deleted";
        };
    }

    /**
     * The kind a webhook topic names; the enum's own name (any case) is accepted too. INVALID_ARGUMENT, listing the
     * topics, for anything else.
     */
    public static EventKind fromTopic(String text) {
        String wanted = text == null ? "" : text.strip();
        for (EventKind kind : values()) {
            if (kind.topic().equals(wanted.toLowerCase(Locale.ROOT)) || kind.name().equalsIgnoreCase(wanted)) {
                return kind;
            }
        }
        throw RegistryException.invalid("unknown event topic '" + text + "': expected one of "
                + Arrays.stream(values()).map(EventKind::topic).collect(Collectors.joining(", ")));
    }

    /** Kinds that move a stage or an alias: the model's history of what served. */
    public boolean movesPointer() {
        return this == STAGE_TRANSITION || this == ALIAS_SET || this == ALIAS_DELETED || this == ROLLBACK;
    }
}
