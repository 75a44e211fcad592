package dev.cairn.core.governance;

import dev.cairn.core.model.Event;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash chain over the event log: each event stores the hash of the one before it and its own hash, the sha256 of
 * that previous hash and of every field of the event. Changing, deleting or reordering a stored event breaks the chain
 * at that point; {@link #hash} is what both the store (when appending) and the verifier compute.
 */
public final class AuditChain {
    /** The "previous hash" of the first event. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {}

    /** The hash of {@code event} (with its sequence number assigned) chained after {@code previousHash}. */
    public static String hash(String previousHash, Event event) {
        StringBuilder text = new StringBuilder("cairn-event-v1\n");
        field(text, previousHash);
        field(text, Long.toString(event.seq()));
        field(text, Long.toString(event.time().toEpochMilli()));
        field(text, event.actor());
        field(text, event.model());
        field(text, event.version() == null ? null : event.version().toString());
        field(text, event.kind().name());
        for (Map.Entry<String, String> entry : new TreeMap<>(event.payload()).entrySet()) {
            field(text, entry.getKey());
            field(text, entry.getValue());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Length-prefixed, so no choice of field values can make two different events read the same. */
    private static void field(StringBuilder text, String value) {
        if (value == null) {
            text.append("-\n");
        } else {
            text.append(value.length()).append(':').append(value).append('\n');
        }
    }

    /** A stored event with its links. */
    public record Link(Event event, String previousHash, String hash) {}

    /**
     * The result of recomputing the chain: {@code intact} when every link held. Otherwise {@code firstBadSeq} is the
     * first event whose stored hash or link does not match, and {@code problem} says which. The head is the last event
     * that checked out (the last event of an intact log): its sequence and hash let an operator keep an outside record
     * and notice a truncated log.
     */
    public record Report(boolean intact, long checked, Long headSeq, String headHash, Long firstBadSeq, String problem) {}
}
