package dev.cairn.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever keys and values a client has, writing them in any legal spelling and parsing gives them back. */
class SearchFilterPropertyTest {
    private static final Map<Entity, List<String>> PREFIXES = Map.of(
            Entity.ATTRIBUTE, List.of("", "attribute.", "attributes.", "attr.", "run.", "ATTR."),
            Entity.TAG, List.of("tags.", "tag.", "Tags."),
            Entity.METRIC, List.of("metrics.", "metric."),
            Entity.PARAM, List.of("params.", "param.", "parameter.", "parameters."),
            Entity.DATASET, List.of("datasets.", "dataset."));
    private static final List<String> SYMBOLS = List.of("=", "!=", "<", "<=", ">", ">=");

    @Property(tries = 1000)
    void parsingARenderedFilterGivesBackItsClauses(@ForAll("clauses") List<Clause> clauses, @ForAll long seed) {
        Random spelling = new Random(seed);
        String filter = clauses.stream()
                .map(clause -> render(clause, spelling))
                .collect(Collectors.joining(pick(spelling, List.of(" AND ", " and ", "\tAnd\n", "  AND  "))));
        assertThat(SearchFilter.parse(filter)).as(filter).isEqualTo(clauses);
    }

    @Property(tries = 500)
    void parsingARenderedOrderByGivesItBack(@ForAll Entity entity, @ForAll("texts") String key, @ForAll boolean ascending,
            @ForAll long seed) {
        Random spelling = new Random(seed);
        OrderBy order = new OrderBy(entity, key.isEmpty() ? "k" : key, ascending);
        String text = renderKey(order.entity(), order.key(), spelling)
                + (ascending ? pick(spelling, List.of("", " ASC", " asc")) : pick(spelling, List.of(" DESC", " desc")));
        assertThat(OrderBy.parse(text)).as(text).isEqualTo(order);
    }

    @Provide
    Arbitrary<List<Clause>> clauses() {
        Arbitrary<String> keys = texts().filter(k -> !k.isEmpty());
        Arbitrary<Value.Text> text = texts().map(Value.Text::new);
        // Plain decimals, doubles as Java prints them (1.0E-5), and negative scales (BigDecimal prints 1.2E+4).
        Arbitrary<Value.Number> anyNumber = Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(new BigDecimal("-1e9"), new BigDecimal("1e9")).ofScale(4),
                Arbitraries.doubles().map(d -> new BigDecimal(Double.toString(d))),
                Arbitraries.longs().map(l -> BigDecimal.valueOf(l, -3)))
                .map(Value.Number::new);
        Arbitrary<Value.Texts> list = texts().list().ofMinSize(1).ofMaxSize(4).map(Value.Texts::new);
        Arbitrary<Clause> clause = Combinators.combine(Arbitraries.of(Entity.class), keys, Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 9), text, anyNumber, list)
                .as((entity, key, kind, op, t, n, l) -> switch (kind) {
                    case 0 -> new Clause(entity, key, List.of("=", "!=", "<", ">=", "LIKE", "ILIKE").get(op % 6), t);
                    case 1 -> new Clause(entity, key, SYMBOLS.get(op % SYMBOLS.size()), n);
                    default -> new Clause(entity, key, op % 2 == 0 ? "IN" : "NOT IN", l);
                });
        return clause.list().ofMinSize(1).ofMaxSize(4);
    }

    /** Strings heavy in the characters a parser trips on: every quote, backslash, keywords, blanks and non-ASCII. */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.of("'", "\"", "`", "\\", "''", "\\'", " ", "AND", "or", "(", ")", ",", ".", "%", "_", "=",
                        "é", "模型", "🚀", "\t", "a", "Z", "0", "-"),
                Arbitraries.strings().ofMaxLength(5));
        return pieces.list().ofMaxSize(6).map(parts -> String.join("", parts));
    }

    private static String render(Clause clause, Random spelling) {
        String comparator = pick(spelling, List.of(clause.comparator(), clause.comparator().toLowerCase()));
        return renderKey(clause.entity(), clause.key(), spelling) + pick(spelling, List.of(" ", "  ", "\t"))
                + comparator + " " + renderValue(clause.value(), spelling);
    }

    private static String renderKey(Entity entity, String key, Random spelling) {
        String prefix = pick(spelling, PREFIXES.get(entity));
        boolean bare = key.matches("[A-Za-z_][A-Za-z0-9_]*") && !key.matches("(?i)and|or|not|in|like|ilike")
                && (!prefix.isEmpty() || !key.contains("."));
        if (bare && spelling.nextBoolean()) {
            return prefix + key;
        }
        return prefix + (spelling.nextBoolean() ? quote(key, '`', spelling) : quote(key, '"', spelling));
    }

    private static String renderValue(Value value, Random spelling) {
        if (value instanceof Value.Text t) {
            return quote(t.text(), spelling.nextBoolean() ? '\'' : '"', spelling);
        }
        if (value instanceof Value.Number n) {
            return n.number().toString();
        }
        return ((Value.Texts) value).texts().stream()
                .map(t -> quote(t, spelling.nextBoolean() ? '\'' : '"', spelling))
                .collect(Collectors.joining(pick(spelling, List.of(",", ", ", " , ")), "(", ")"));
    }

    /** Escapes the quote by doubling or with a backslash (chosen per text), and every backslash as "\\". */
    private static String quote(String text, char quote, Random spelling) {
        String q = String.valueOf(quote);
        String escapedQuote = spelling.nextBoolean() ? q + q : "\\" + q;
        return q + text.replace("\\", "\\\\").replace(q, escapedQuote) + q;
    }

    private static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
