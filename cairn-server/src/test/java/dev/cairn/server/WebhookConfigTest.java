package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.webhook.RetrySchedule;
import dev.cairn.core.webhook.SecretSeal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookConfigTest {
    @Test
    void privateReceiversAreRefusedAndRetriesLastADayByDefault() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of()).build();
        assertThat(config.allowPrivateWebhooks()).isFalse();
        assertThat(config.webhookRetry()).isEqualTo(RetrySchedule.DEFAULT);
        assertThat(RetrySchedule.DEFAULT).isEqualTo(
                new RetrySchedule(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofHours(24)));
    }

    @Test
    void theEnvironmentAndFlagsSetThem() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("CAIRN_WEBHOOKS_ALLOW_PRIVATE", "true",
                "CAIRN_WEBHOOKS_RETRY_INITIAL", "500ms", "CAIRN_WEBHOOKS_RETRY_MAX", "2s",
                "CAIRN_WEBHOOKS_RETRY_FOR", "PT1H")).build();
        assertThat(config.allowPrivateWebhooks()).isTrue();
        assertThat(config.webhookRetry()).isEqualTo(
                new RetrySchedule(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofHours(1)));
        assertThat(ServerConfig.fromEnvironment(Map.of("CAIRN_WEBHOOKS_ALLOW_PRIVATE", "true"))
                .allowPrivateWebhooks(false).build().allowPrivateWebhooks()).isFalse();
        assertThat(config.toString()).contains("allowPrivateWebhooks=true");
    }

    @Test
    void secretsAreSealedWithTheKeyFromTheEnvironmentWhichIsNeverShown() {
        assertThat(ServerConfig.fromEnvironment(Map.of()).build().webhookSeal().hasKey()).isFalse();
        String key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("CAIRN_WEBHOOKS_SECRET_KEY", key)).build();
        assertThat(config.webhookSeal()).isEqualTo(SecretSeal.fromBase64(key));
        assertThat(config.toString()).contains("webhookSecretKey=key " + config.webhookSeal().keyId())
                .doesNotContain(key);
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("CAIRN_WEBHOOKS_SECRET_KEY", "c2hvcnQ=")))
                .hasMessageContaining("CAIRN_WEBHOOKS_SECRET_KEY").hasMessageContaining("5 bytes");
    }

    @Test
    void badValuesNameTheirVariable() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("CAIRN_WEBHOOKS_RETRY_MAX", "soon")))
                .hasMessageContaining("CAIRN_WEBHOOKS_RETRY_MAX").hasMessageContaining("soon");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("CAIRN_WEBHOOKS_ALLOW_PRIVATE", "yes")))
                .hasMessageContaining("CAIRN_WEBHOOKS_ALLOW_PRIVATE");
        assertThatThrownBy(() -> ServerConfig.builder().webhookRetryInitial(Duration.ofMinutes(10)).build())
                .hasMessageContaining("webhook retries");
    }
}
