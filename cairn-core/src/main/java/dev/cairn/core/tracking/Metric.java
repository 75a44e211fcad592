package dev.cairn.core.tracking;

/** One logged metric value: MLflow keeps every value with its timestamp (epoch ms) and step. */
public record Metric(String key, double value, long timestamp, long step) {}
