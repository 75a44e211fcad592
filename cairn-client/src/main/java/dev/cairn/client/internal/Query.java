package dev.cairn.client.internal;

/** Builds a query string, leaving out absent parameters. */
public final class Query {
    private final StringBuilder text = new StringBuilder();

    public Query add(String name, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            text.append(text.length() == 0 ? '?' : '&').append(name).append('=').append(UrlPaths.query(value.toString()));
        }
        return this;
    }

    public Query addAll(String name, Iterable<?> values) {
        if (values != null) {
            values.forEach(v -> add(name, v));
        }
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
