package dev.cairn.core.webhook;

import java.util.List;

/**
 * What a caller asks for when subscribing: {@code model} null for every model, {@code topics} empty for every kind,
 * {@code secret} null to have one generated.
 */
public record NewWebhook(String url, String model, List<String> topics, String secret, String description) {
    public NewWebhook {
        topics = topics == null ? List.of() : List.copyOf(topics);
    }

    @Override
    public String toString() {
        return "NewWebhook[url=" + url + ", model=" + model + ", topics=" + topics + ", secret="
                + (secret == null ? "generated" : "***") + ", description=" + description + "]";
    }
}
