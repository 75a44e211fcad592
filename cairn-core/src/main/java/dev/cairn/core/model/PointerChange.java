package dev.cairn.core.model;

/**
 * One move of a pointer, in the order they happened. {@code version} is null when the pointer was cleared;
 * {@code rollback} marks moves made by a rollback, which undo earlier moves rather than stack on them.
 */
public record PointerChange(long eventSeq, Pointer pointer, Integer version, boolean rollback) {}
