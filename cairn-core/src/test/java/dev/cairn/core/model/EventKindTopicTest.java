package dev.cairn.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class EventKindTopicTest {
    @Test
    void everyKindHasItsOwnDottedLowerCaseTopic() {
        assertThat(Arrays.stream(EventKind.values()).map(EventKind::topic))
                .doesNotHaveDuplicates()
                .allMatch(t -> t.matches("[a-z]+\\.[a-z_]+"));
    }

    @Test
    void theTopicsWebhookUsersSubscribeTo() {
        assertThat(EventKind.STAGE_TRANSITION.topic()).isEqualTo("stage.transitioned");
        assertThat(EventKind.ALIAS_SET.topic()).isEqualTo("alias.set");
        assertThat(EventKind.VERSION_COMMITTED.topic()).isEqualTo("version.registered");
        assertThat(EventKind.ROLLBACK.topic()).isEqualTo("stage.rolled_back");
        assertThat(EventKind.FILE_ADDED.topic()).isEqualTo("version.file_added");
        assertThat(EventKind.PROMOTION_BLOCKED.topic()).isEqualTo("promotion.blocked");
    }

    @Test
    void fromTopicReadsTopicsAndKindNamesInAnyCase() {
        for (EventKind kind : EventKind.values()) {
            assertThat(EventKind.fromTopic(kind.topic())).isEqualTo(kind);
            assertThat(EventKind.fromTopic(" " + kind.topic().toUpperCase(Locale.ROOT) + " ")).isEqualTo(kind);
            assertThat(EventKind.fromTopic(kind.name().toLowerCase(Locale.ROOT))).isEqualTo(kind);
        }
    }

    @Test
    void anUnknownTopicIsRefusedWithTheListOfTopics() {
        assertThatThrownBy(() -> EventKind.fromTopic("stage.moved")).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("stage.moved").hasMessageContaining("stage.transitioned, ")
                .hasMessageContaining("version.registered");
        assertThatThrownBy(() -> EventKind.fromTopic(null)).isInstanceOf(RegistryException.class);
    }
}
