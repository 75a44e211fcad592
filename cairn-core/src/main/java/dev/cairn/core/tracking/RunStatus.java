package dev.cairn.core.tracking;

/** MLflow's run states, in its enum order. */
public enum RunStatus { RUNNING, SCHEDULED, FINISHED, FAILED, KILLED }
