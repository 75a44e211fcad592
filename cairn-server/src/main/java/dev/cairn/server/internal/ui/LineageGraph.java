package dev.cairn.server.internal.ui;

import dev.cairn.core.model.Lineage;
import dev.cairn.core.model.ModelVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * A version's lineage laid out for SVG in four columns: datasets → code commit and run → the version (with what
 * points at it) → the versions it derives from. The template only draws the boxes and arrows computed here.
 */
public record LineageGraph(int width, int height, List<Node> nodes, List<Edge> edges) {
    private static final int COLUMN = 230;
    private static final int BOX_W = 200;
    private static final int BOX_H = 48;
    private static final int ROW = 64;
    private static final int MARGIN = 16;

    /** A box: its kind (dataset, code, run, version, parent) sets its colour; href links parents to their pages. */
    public record Node(int x, int y, int w, int h, String kind, String title, String detail, String tooltip,
                       String href) {
        public int textX() {
            return x + 10;
        }
    }

    /** An arrow from the right edge of one box to the left edge of another. */
    public record Edge(int x1, int y1, int x2, int y2, String label) {}

    static LineageGraph of(ModelVersion v, List<String> pointers) {
        Lineage lineage = v.lineage();
        List<List<Node>> columns = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            columns.add(new ArrayList<>());
        }
        for (Lineage.Dataset d : lineage.datasets()) {
            String name = d.name() != null ? d.name() : d.uri() != null ? d.uri() : "dataset";
            String detail = (d.version() == null ? "" : "v" + d.version() + " ") + (d.digest() == null ? ""
                    : Fmt.digest(d.digest())) + " · " + d.role().name().toLowerCase(java.util.Locale.ROOT);
            columns.get(0).add(node(0, columns.get(0).size(), "dataset", name, detail,
                    name + (d.uri() == null ? "" : " " + d.uri()) + (d.digest() == null ? "" : " " + d.digest()), null));
        }
        Lineage.Code code = lineage.code();
        if (code != null) {
            String commit = code.commit() == null ? "unknown commit" : Fmt.cut(code.commit(), 12);
            String detail = (code.branch() == null ? "" : code.branch() + " ")
                    + (Boolean.TRUE.equals(code.dirty()) ? "(dirty)" : "");
            columns.get(1).add(node(1, columns.get(1).size(), "code", "commit " + commit, detail,
                    (code.repository() == null ? "" : code.repository() + " ") + (code.commit() == null ? "" : code.commit()),
                    code.commit() == null ? null : "/ui/lineage?commit=" + Fmt.q(code.commit())));
        }
        String runId = lineage.run() != null && lineage.run().id() != null ? lineage.run().id() : v.runId();
        if (runId != null && !runId.isBlank()) {
            columns.get(1).add(node(1, columns.get(1).size(), "run", "run " + Fmt.cut(runId, 14),
                    lineage.run() == null || lineage.run().uri() == null ? "" : lineage.run().uri(), runId, null));
        }
        String held = pointers.isEmpty() ? "no stage or alias" : String.join(" ", pointers);
        columns.get(2).add(node(2, 0, "version", v.modelName() + " v" + v.version(), held,
                v.modelName() + " version " + v.version() + " " + Fmt.digest(v.manifest().digest()), null));
        for (Lineage.Parent p : lineage.parents()) {
            columns.get(3).add(node(3, columns.get(3).size(), "parent", p.model() + " v" + p.version(),
                    p.relation() == null ? "parent" : p.relation(), p.model() + " version " + p.version(),
                    Fmt.version(p.model(), p.version())));
        }
        int rows = columns.stream().mapToInt(List::size).max().orElse(1);
        int height = MARGIN * 2 + Math.max(1, rows) * ROW - (ROW - BOX_H);
        // Centre each column vertically.
        List<Node> nodes = new ArrayList<>();
        List<List<Node>> placed = new ArrayList<>();
        for (List<Node> column : columns) {
            int offset = (rows - column.size()) * ROW / 2;
            List<Node> moved = column.stream().map(n -> new Node(n.x(), n.y() + offset, n.w(), n.h(), n.kind(),
                    n.title(), n.detail(), n.tooltip(), n.href())).toList();
            placed.add(moved);
            nodes.addAll(moved);
        }
        Node version = placed.get(2).get(0);
        List<Edge> edges = new ArrayList<>();
        List<Node> middle = placed.get(1);
        for (Node d : placed.get(0)) {
            if (middle.isEmpty()) {
                edges.add(edge(d, version, null));
            } else {
                for (Node m : middle) {
                    edges.add(edge(d, m, null));
                }
            }
        }
        for (Node m : middle) {
            edges.add(edge(m, version, null));
        }
        for (Node p : placed.get(3)) {
            edges.add(edge(version, p, p.detail()));
        }
        return new LineageGraph(MARGIN * 2 + 3 * COLUMN + BOX_W, height, nodes, edges);
    }

    private static Node node(int column, int row, String kind, String title, String detail, String tooltip, String href) {
        return new Node(MARGIN + column * COLUMN, MARGIN + row * ROW, BOX_W, BOX_H, kind, Fmt.cut(title, 28),
                Fmt.cut(detail, 30), tooltip, href);
    }

    private static Edge edge(Node from, Node to, String label) {
        return new Edge(from.x() + from.w(), from.y() + from.h() / 2, to.x(), to.y() + to.h() / 2, label);
    }
}
