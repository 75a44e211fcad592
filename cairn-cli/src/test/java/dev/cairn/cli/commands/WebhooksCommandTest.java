package dev.cairn.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where {@code cairn webhooks create} takes the signing secret from. */
class WebhooksCommandTest {
    private static final Map<String, String> ENV = Map.of("HOOK_SECRET", "from-the-environment-123", "EMPTY", "");

    @Test
    void theSecretComesFromTheOptionOrTheNamedVariableOrNowhere() {
        assertThat(WebhooksCommand.Create.secret("given-on-the-command-line", null, ENV))
                .isEqualTo("given-on-the-command-line");
        assertThat(WebhooksCommand.Create.secret(null, "HOOK_SECRET", ENV)).isEqualTo("from-the-environment-123");
        assertThat(WebhooksCommand.Create.secret(null, null, ENV)).isNull();
    }

    @Test
    void aMissingOrEmptyVariableAndBothOptionsAreRefused() {
        assertThatThrownBy(() -> WebhooksCommand.Create.secret(null, "NOT_SET", ENV))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NOT_SET");
        assertThatThrownBy(() -> WebhooksCommand.Create.secret(null, "EMPTY", ENV))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EMPTY");
        assertThatThrownBy(() -> WebhooksCommand.Create.secret("x", "HOOK_SECRET", ENV))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both")
                .hasMessageNotContaining("from-the-environment");
    }
}
