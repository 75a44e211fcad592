package dev.cairn.core.model;

import java.time.Instant;

/**
 * One move of a pointer, in the order they happened. {@code version} is null when the pointer was cleared;
 * {@code rollback} marks moves made by a rollback, which undo earlier moves rather than stack on them. {@code time} is
 * the time of the event that made the move: filled in when read, ignored when appended.
 */
public record PointerChange(long eventSeq, Pointer pointer, Integer version, boolean rollback, Instant time) {
    public PointerChange(long eventSeq, Pointer pointer, Integer version, boolean rollback) {
        this(eventSeq, pointer, version, rollback, null);
    }
}
