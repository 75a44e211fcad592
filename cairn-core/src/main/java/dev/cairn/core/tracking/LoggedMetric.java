package dev.cairn.core.tracking;

/** A metric point with its position in the run's logging order, which history pages resume after. */
public record LoggedMetric(long seq, Metric metric) {}
