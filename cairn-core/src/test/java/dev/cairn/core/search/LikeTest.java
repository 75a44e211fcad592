package dev.cairn.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LikeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "ref-model | ref%      | true",
        "ref-model | %model    | true",
        "ref-model | %f-m%     | true",
        "ref-model | ref       | false",
        "ref-model | model     | false",
        "ref-model | ref_model | true",
        "ref-model | ref_odel  | false",
        "ref-model | ref__odel | true",
        "ref-model | %         | true",
        "~~        | %         | true",
        "~~        | _         | false",
        "~~        | ~~        | true",
        "abc       | a%%c      | true",
        "abc       | %b%%      | true",
        "aXbXc     | a%c       | true",
        "mississippi | %iss%ppi | true",
        "mississippi | %iss%pi_ | false",
        "模型🚀     | 模_🚀     | true",
        "🚀         | _         | true",
    })
    void percentIsAnyRunUnderscoreIsOneCharacter(String value, String pattern, boolean matches) {
        assertThat(Like.matches(value, pattern, true)).isEqualTo(matches);
    }

    @Test
    void likeIsCaseSensitiveIlikeIsNot() {
        assertThat(Like.matches("RefModel", "ref%", true)).isFalse();
        assertThat(Like.matches("RefModel", "ref%", false)).isTrue();
        assertThat(Like.matches("ÉTÉ", "été", false)).isTrue();
        assertThat(Like.matches("ÉTÉ", "été", true)).isFalse();
    }

    @Test
    void regexMetacharactersAreLiteral() {
        assertThat(Like.matches("a.c", "a.c", true)).isTrue();
        assertThat(Like.matches("abc", "a.c", true)).isFalse();
        assertThat(Like.matches("a*", "a*", true)).isTrue();
        assertThat(Like.matches("aaa", "a*", true)).isFalse();
        assertThat(Like.matches("(x)[y]{2}^$|+?\\", "(x)[y]{2}^$|+?\\", true)).isTrue();
        assertThat(Like.matches("x", "[xy]", true)).isFalse();
        // No escape character (as in MLflow): "\_" is a backslash, then any one character.
        assertThat(Like.matches("a\\b", "a\\_", true)).isTrue();
        assertThat(Like.matches("a_", "a\\_", true)).isFalse();
    }

    @Test
    void aMissingValueNeverMatches() {
        assertThat(Like.matches(null, "%", true)).isFalse();
    }

    @Test
    void manyWildcardsOnALongValueStayFast() {
        String value = "a".repeat(20_000);
        assertThat(Like.matches(value, "%a%a%a%a%a%a%b", true)).isFalse();
    }
}
