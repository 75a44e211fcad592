package dev.cairn.core.tracking;

/** A param or tag as a request lists it: a batch may repeat a key, which a map would hide. */
public record KeyValue(String key, String value) {}
