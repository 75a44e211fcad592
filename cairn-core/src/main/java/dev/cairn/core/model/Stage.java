package dev.cairn.core.model;

import dev.cairn.core.RegistryException;
import java.util.Locale;

/** MLflow's stages. Staging and Production have one occupant unless a caller asks otherwise. */
public enum Stage {
    NONE("None"),
    STAGING("Staging"),
    PRODUCTION("Production"),
    ARCHIVED("Archived");

    private final String label;

    Stage(String label) {
        this.label = label;
    }

    /** The name MLflow and the API show: {@code None}, {@code Staging}, {@code Production}, {@code Archived}. */
    public String label() {
        return label;
    }

    public boolean isLive() {
        return this == STAGING || this == PRODUCTION;
    }

    /** Parses a stage name case-insensitively. */
    public static Stage parse(String text) {
        if (text != null) {
            String wanted = text.trim().toLowerCase(Locale.ROOT);
            for (Stage stage : values()) {
                if (stage.label.toLowerCase(Locale.ROOT).equals(wanted)) {
                    return stage;
                }
            }
        }
        throw RegistryException.invalid("unknown stage '" + text + "': expected one of None, Staging, Production, Archived");
    }
}
