package dev.cairn.core.search;

import dev.cairn.core.RegistryException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * MLflow's search filter language, shared by every search endpoint: comparisons joined by AND. Which entities,
 * keys and comparators an endpoint accepts is the caller's check; this class only checks that each comparator
 * gets the kind of value it can use.
 */
public final class SearchFilter {
    private static final Set<String> SYMBOLS = Set.of("=", "!=", "<", "<=", ">", ">=");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private final String filter;
    private final Cursor in;

    private SearchFilter(String filter) {
        this.filter = filter;
        this.in = new Cursor(filter, this::error);
    }

    /** The clauses of a filter joined by AND (any case); null or blank → empty list. Throws RegistryException.invalid(...) with an MLflow-like message on anything unparsable. */
    public static List<Clause> parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return List.of();
        }
        return new SearchFilter(filter).clauses();
    }

    private RegistryException error(String detail) {
        return RegistryException.invalid("Invalid clause(s) in filter string '" + filter + "': " + detail);
    }

    private List<Clause> clauses() {
        List<Clause> clauses = new ArrayList<>();
        clauses.add(clause());
        while (!in.atEnd()) {
            if (in.keyword("AND")) {
                if (in.atEnd()) {
                    throw error("nothing after the last AND");
                }
                clauses.add(clause());
            } else if (in.keyword("OR")) {
                throw error("OR is not supported; clauses can only be joined by AND");
            } else {
                throw error("expected AND before '" + in.rest() + "'");
            }
        }
        return List.copyOf(clauses);
    }

    private Clause clause() {
        Cursor.Identifier id = in.identifier();
        String comparator = comparator(id);
        Value value = value(id.source() + " " + comparator);
        String mismatch = Clause.mismatch(comparator, value);
        if (mismatch != null) {
            throw error(mismatch);
        }
        return new Clause(id.entity(), id.key(), comparator, value);
    }

    private String comparator(Cursor.Identifier id) {
        if (in.atEnd()) {
            throw error("missing comparator after '" + id.source() + "'");
        }
        String op = in.operator();
        String upper = op.toUpperCase(Locale.ROOT);
        if (upper.equals("NOT") && in.keyword("IN")) {
            return "NOT IN";
        }
        if (SYMBOLS.contains(op) || upper.equals("LIKE") || upper.equals("ILIKE") || upper.equals("IN")) {
            return upper;
        }
        if (op.isEmpty()) {
            throw error("missing comparator between '" + id.source() + "' and '" + in.rest() + "'");
        }
        throw error("invalid comparator '" + op + "' after '" + id.source()
                + "'; use one of =, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN");
    }

    /** leftSide is the identifier and comparator as written, to show the user the corrected clause. */
    private Value value(String leftSide) {
        if (in.atEnd()) {
            throw error("missing value after '" + leftSide + "'");
        }
        char c = in.peek();
        if (c == '\'' || c == '"') {
            return new Value.Text(in.quoted());
        }
        if (c == '(') {
            return list();
        }
        if (c == '`') {
            throw error("backticks quote keys, not values; quote the value of '" + leftSide + "' with ' or \"");
        }
        String number = in.token(NUMBER);
        if (number != null) {
            return new Value.Number(new BigDecimal(number));
        }
        // Also catches a number glued to letters: an unquoted run id such as 6ae2f... is a string that lost its quotes.
        throw error("string values must be quoted (" + leftSide + " '" + in.operator() + "')");
    }

    private Value list() {
        int start = in.pos();
        in.take(); // the "("
        List<String> texts = new ArrayList<>();
        while (true) {
            if (in.atEnd()) {
                throw error("missing ')' to close '" + in.since(start).strip() + "'");
            }
            char c = in.peek();
            if (c == ')' && texts.isEmpty()) {
                throw error("empty list '" + in.since(start) + ")'; IN needs at least one quoted value");
            }
            if (c != '\'' && c != '"') {
                throw error("IN lists hold quoted strings only, found '" + in.rest() + "'");
            }
            texts.add(in.quoted());
            if (in.atEnd()) {
                throw error("missing ')' to close '" + in.since(start).strip() + "'");
            }
            char separator = in.take();
            if (separator == ')') {
                return new Value.Texts(texts);
            }
            if (separator != ',') {
                throw error("expected ',' or ')' in the IN list, found '" + separator + "'");
            }
        }
    }
}
