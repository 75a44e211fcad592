package dev.cairn.core.governance;

/** A user's role on one model, which replaces their registry-wide role there: narrower or wider. */
public record Grant(String model, String user, Role role) {}
