package dev.cairn.core.model;

/** A model with what points where in it, as lists and pages show it. */
public record ModelSummary(RegisteredModel model, ModelPointers pointers) {}
