package dev.cairn.core.search;

/** What the key of a search identifier names: a column of the searched thing, or one of its tags, metrics, params or datasets. */
public enum Entity {
    ATTRIBUTE,
    TAG,
    METRIC,
    PARAM,
    DATASET
}
