package dev.cairn.core.tracking;

/** Which lifecycle stages a search returns, in MLflow's enum order. */
public enum ViewType { ACTIVE_ONLY, DELETED_ONLY, ALL }
