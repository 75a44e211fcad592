package dev.cairn.storage.migrate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tables of an embedded (SQLite) registry as its own catalogue describes them, so that a table or column added by
 * a later migration is copied without this class knowing it. Flyway's history and SQLite's internal tables are not
 * data: the target keeps its own.
 */
record SourceSchema(List<Table> tables, Map<String, Long> sequences) {

    /** A table, its columns in declaration order and the tables its foreign keys point to. */
    record Table(String name, List<String> columns, Set<String> references) {}

    /** Reads the catalogue and orders the tables so that every table comes after the tables it references. */
    static SourceSchema read(Connection sqlite) throws SQLException {
        Map<String, Table> byName = new LinkedHashMap<>();
        for (String name : strings(sqlite, "SELECT name FROM sqlite_master WHERE type = 'table'"
                + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'flyway\\_%' ESCAPE '\\' ORDER BY rowid")) {
            List<String> columns = strings(sqlite, "SELECT name FROM pragma_table_info('" + name + "') ORDER BY cid");
            Set<String> references = new LinkedHashSet<>(strings(sqlite,
                    "SELECT \"table\" FROM pragma_foreign_key_list('" + name + "')"));
            references.remove(name);
            byName.put(name, new Table(name, List.copyOf(columns), Set.copyOf(references)));
        }
        Map<String, Long> sequences = new HashMap<>();
        try (Statement statement = sqlite.createStatement();
                ResultSet rs = statement.executeQuery("SELECT name, seq FROM sqlite_sequence")) {
            while (rs.next()) {
                sequences.put(rs.getString(1), rs.getLong(2));
            }
        }
        return new SourceSchema(inReferenceOrder(byName), Map.copyOf(sequences));
    }

    /** Parents before children; among tables that do not depend on each other, the order they were created in. */
    private static List<Table> inReferenceOrder(Map<String, Table> byName) {
        List<Table> ordered = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (placed.size() < byName.size()) {
            boolean progressed = false;
            for (Table table : byName.values()) {
                if (!placed.contains(table.name()) && placed.containsAll(table.references())) {
                    ordered.add(table);
                    placed.add(table.name());
                    progressed = true;
                }
            }
            if (!progressed) {
                List<String> stuck = byName.keySet().stream().filter(t -> !placed.contains(t)).toList();
                throw new IllegalStateException("the foreign keys of tables " + stuck
                        + " form a cycle or point to a missing table; they cannot be copied in order");
            }
        }
        return List.copyOf(ordered);
    }

    private static List<String> strings(Connection connection, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
