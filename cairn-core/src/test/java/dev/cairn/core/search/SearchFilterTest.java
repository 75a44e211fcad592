package dev.cairn.core.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SearchFilterTest {

    private static Clause only(String filter) {
        List<Clause> clauses = SearchFilter.parse(filter);
        assertThat(clauses).hasSize(1);
        return clauses.get(0);
    }

    private static Clause text(Entity entity, String key, String comparator, String value) {
        return new Clause(entity, key, comparator, new Value.Text(value));
    }

    private static Clause number(Entity entity, String key, String comparator, String value) {
        return new Clause(entity, key, comparator, new Value.Number(new BigDecimal(value)));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "\t\n"})
    void emptyFilterMatchesEverything(String filter) {
        assertThat(SearchFilter.parse(filter)).isEmpty();
    }

    @Test
    void parsesTheFiltersMlflowClientsSend() {
        assertThat(only("name LIKE 'ref%'")).isEqualTo(text(Entity.ATTRIBUTE, "name", "LIKE", "ref%"));
        assertThat(only("tags.team = 'ml'")).isEqualTo(text(Entity.TAG, "team", "=", "ml"));
        assertThat(only("name='ref-model'")).isEqualTo(text(Entity.ATTRIBUTE, "name", "=", "ref-model"));
        assertThat(only("run_id='6ae2f14aed3648a0aadfb7be074f7ff0'"))
                .isEqualTo(text(Entity.ATTRIBUTE, "run_id", "=", "6ae2f14aed3648a0aadfb7be074f7ff0"));
        assertThat(SearchFilter.parse("metrics.rmse < 1 and params.alpha = '0.5'")).containsExactly(
                number(Entity.METRIC, "rmse", "<", "1"),
                text(Entity.PARAM, "alpha", "=", "0.5"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "name = 'x'                | ATTRIBUTE | name",
        "attribute.name = 'x'      | ATTRIBUTE | name",
        "attributes.run_name = 'x' | ATTRIBUTE | run_name",
        "attr.status = 'x'         | ATTRIBUTE | status",
        "run.user_id = 'x'         | ATTRIBUTE | user_id",
        "tags.k = 'x'              | TAG       | k",
        "tag.k = 'x'               | TAG       | k",
        "TAGS.K = 'x'              | TAG       | K",
        "tags.mlflow.runName = 'x' | TAG       | mlflow.runName",
        "metrics.k = 'x'           | METRIC    | k",
        "metric.k = 'x'            | METRIC    | k",
        "params.k = 'x'            | PARAM     | k",
        "param.k = 'x'             | PARAM     | k",
        "parameter.k = 'x'         | PARAM     | k",
        "Parameters.k = 'x'        | PARAM     | k",
        "datasets.digest = 'x'     | DATASET   | digest",
        "dataset.context = 'x'     | DATASET   | context",
        "tags.`my key` = 'x'       | TAG       | my key",
        "tags.\"my-key\" = 'x'     | TAG       | my-key",
        "metrics.\"a b\" = 'x'     | METRIC    | a b",
        "\"run name\" = 'x'        | ATTRIBUTE | run name",
        "`run name` = 'x'          | ATTRIBUTE | run name",
        "attributes.`a.b` = 'x'    | ATTRIBUTE | a.b",
        "tags.`it``s` = 'x'        | TAG       | it`s",
        "tags.\"q\\\"\" = 'x'      | TAG       | q\"",
        "tags.clé = 'x'            | TAG       | clé",
    })
    void identifiersNameAnEntityAndKeepTheKeyAsWritten(String filter, Entity entity, String key) {
        assertThat(only(filter)).isEqualTo(text(entity, key, "=", "x"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "name = 'it''s'       | it's",
        "name = 'it\\'s'      | it's",
        "name = \"say \"\"hi\"\"\" | say \"hi\"",
        "name = \"say \\\"hi\\\"\" | say \"hi\"",
        "name = 'a\"b'        | a\"b",
        "name = \"a'b\"       | a'b",
        "name = 'C:\\dir'     | C:\\dir",
        "name = 'end\\\\'     | end\\",
        "name = 'with  spaces ' | ~with  spaces ~",
        "name = ''            | ~~",
        "name = 'ünï 模型 🚀'    | ünï 模型 🚀",
        "name = 'a AND b = c' | a AND b = c",
    })
    void stringValuesUnquoteAndUnescape(String filter, String value) {
        assertThat(only(filter).value()).isEqualTo(new Value.Text(value));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "metrics.acc >= 0.9    | >= | 0.9",
        "version_number > 3    | >  | 3",
        "metrics.loss < -1e-3  | <  | -1e-3",
        "metrics.loss <= +2.5E4 | <= | 2.5E4",
        "metrics.loss != .5    | != | 0.5",
        "metrics.loss = 7.     | =  | 7",
        "start_time>1700000000000 | > | 1700000000000",
        "metrics.loss>-1          | > | -1",
        "metrics.loss<=-0.5       | <= | -0.5",
    })
    void numbersAreUnquotedLiterals(String filter, String comparator, String number) {
        Clause clause = only(filter);
        assertThat(clause.comparator()).isEqualTo(comparator);
        assertThat(((Value.Number) clause.value()).number()).isEqualByComparingTo(new BigDecimal(number));
    }

    @Test
    void keywordsAreCaseInsensitiveAndComparatorsComeBackUpperCase() {
        assertThat(SearchFilter.parse("name like 'a%' And tags.t ilike '%B' aNd run_id in ('x') AND run_id not IN ('y', \"z\")"))
                .containsExactly(
                        text(Entity.ATTRIBUTE, "name", "LIKE", "a%"),
                        text(Entity.TAG, "t", "ILIKE", "%B"),
                        new Clause(Entity.ATTRIBUTE, "run_id", "IN", new Value.Texts(List.of("x"))),
                        new Clause(Entity.ATTRIBUTE, "run_id", "NOT IN", new Value.Texts(List.of("y", "z"))));
    }

    @Test
    void whitespaceAroundTokensIsFree() {
        assertThat(SearchFilter.parse("  run_id\tIN(  'a' ,'b'  )and\nname!='x'  ")).containsExactly(
                new Clause(Entity.ATTRIBUTE, "run_id", "IN", new Value.Texts(List.of("a", "b"))),
                text(Entity.ATTRIBUTE, "name", "!=", "x"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        // what was written                      | what the message must point at
        "name = bar                              | string values must be quoted (name = 'bar')",
        "run_id = 6ae2f14aed                     | (run_id = '6ae2f14aed')",
        "name ~ 'x'                              | invalid comparator '~'",
        "name == 'x'                             | invalid comparator '=='",
        "name <> 'x'                             | invalid comparator '<>'",
        "name CONTAINS 'x'                       | invalid comparator 'CONTAINS'",
        "name NOT LIKE 'x'                       | invalid comparator 'NOT'",
        "name = 'a' tags.b = 'c'                 | expected AND before 'tags.b = 'c''",
        "name = 'a' OR name = 'b'                | OR is not supported",
        "name = 'a' or name = 'b'                | OR is not supported",
        "name = 'a' AND                          | nothing after the last AND",
        "name = 'a' AND AND name = 'b'           | keyword 'AND'",
        "name =                                  | missing value after 'name ='",
        "name                                    | missing comparator after 'name'",
        "name 'x'                                | missing comparator between 'name' and ''x''",
        "name =~ 'x'                             | invalid comparator '=~'",
        "name ≥ 'x'                              | invalid comparator '≥'",
        "= 'x'                                   | expected an identifier",
        "name = 'abc                             | unterminated quote ' at ''abc'",
        "name = \"abc                            | unterminated quote \"",
        "tags.`abc = 'x'                         | unterminated quote `",
        "run_id IN ()                            | empty list",
        "run_id IN ('a',)                        | quoted strings only, found ')'",
        "run_id IN (1, 2)                        | quoted strings only, found '1, 2)'",
        "run_id IN ('a' 'b')                     | expected ',' or ')'",
        "run_id IN ('a'                          | missing ')'",
        "run_id IN 'a'                           | IN needs a parenthesised list",
        "run_id NOT IN 'a'                       | NOT IN needs a parenthesised list",
        "run_id = ('a')                          | only allowed after IN or NOT IN",
        "name LIKE 3                             | LIKE needs a quoted string pattern",
        "name ILIKE 3                            | ILIKE needs a quoted string pattern",
        "name = `x`                              | backticks quote keys, not values",
        "foo.bar = 'x'                           | invalid entity type 'foo'",
        "tags. = 'x'                             | missing key in identifier 'tags.'",
        "tags.\"\" = 'x'                         | missing key",
        "(name = 'x')                            | expected an identifier",
        "name = 'x';                             | expected AND before ';'",
        "metrics.a > 1.2.3                       | string values must be quoted",
    })
    void rejectsWithAMessageNamingTheProblem(String filter, String message) {
        assertThatThrownBy(() -> SearchFilter.parse(filter))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageStartingWith("Invalid clause(s) in filter string '" + filter + "'")
                .hasMessageContaining(message);
    }

    @Test
    void handBuiltClausesObeyTheSameValueRules() {
        assertThatThrownBy(() -> new Clause(Entity.METRIC, "a", "LIKE", new Value.Number(BigDecimal.ONE)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Clause(Entity.METRIC, "a", "~", new Value.Text("x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Value.Texts(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
