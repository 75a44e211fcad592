package dev.cairn.core.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrderByTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "name                     | ATTRIBUTE | name           | true",
        "metrics.acc DESC         | METRIC    | acc            | false",
        "metrics.accuracy_score   | METRIC    | accuracy_score | true",
        "tags.`a b` asc           | TAG       | a b            | true",
        "params.\"min leaf\" desc | PARAM     | min leaf       | false",
        "  version_number   ASC   | ATTRIBUTE | version_number | true",
        "attribute.start_time Desc | ATTRIBUTE | start_time    | false",
        "\"run name\"             | ATTRIBUTE | run name       | true",
    })
    void parsesIdentifierAndDirection(String text, Entity entity, String key, boolean ascending) {
        assertThat(OrderBy.parse(text)).isEqualTo(new OrderBy(entity, key, ascending));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "name up            | invalid ordering 'up'",
        "name DESC nulls    | unexpected 'nulls'",
        "name ASC DESC      | unexpected 'DESC'",
        "~~                 | missing identifier",
        "foo.bar            | invalid entity type 'foo'",
        "tags.`a b          | unterminated quote `",
        "name, version      | invalid ordering ', version'",
    })
    void rejectsBadClauses(String text, String message) {
        assertThatThrownBy(() -> OrderBy.parse(text))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageStartingWith("Invalid order_by clause '" + text + "'")
                .hasMessageContaining(message);
    }

    @org.junit.jupiter.api.Test
    void nullIsRejectedNotAnNpe() {
        assertThatThrownBy(() -> OrderBy.parse(null)).isInstanceOf(RegistryException.class);
    }
}
