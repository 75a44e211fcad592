package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.ChangedFile;
import dev.cairn.api.ApiModels.Comparison;
import dev.cairn.api.ApiModels.FileDiff;
import dev.cairn.api.ApiModels.LineageDiff;
import dev.cairn.api.ApiModels.MetricRow;
import dev.cairn.api.ApiModels.ParamRow;
import dev.cairn.api.ApiModels.SignatureDiff;
import dev.cairn.api.ByteSize;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.Table;
import dev.cairn.cli.Text;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "compare", description = {"Compare two or more versions side by side; the first is the baseline.",
    "Shows metrics with deltas, the params that differ, and what changed in lineage, files and signature."})
public final class CompareCommand extends CairnCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", arity = "2..*", paramLabel = "VERSION")
    List<Integer> versions;

    @Override
    protected int run() {
        Comparison c = client().compare(name, versions);
        return print(c, () -> render(c, out()));
    }

    private static void render(Comparison c, PrintWriter out) {
        List<Integer> vs = c.versions();
        out.println(c.name() + ": v" + vs.get(0) + " (baseline) vs "
                + String.join(", ", vs.subList(1, vs.size()).stream().map(v -> "v" + v).toList()));
        out.println();
        List<String> header = new ArrayList<>(List.of("METRIC", "v" + vs.get(0)));
        for (int i = 1; i < vs.size(); i++) {
            header.add("v" + vs.get(i));
            header.add("Δ v" + vs.get(i));
        }
        Table metrics = new Table(header.toArray(String[]::new));
        for (MetricRow m : nullSafe(c.metrics())) {
            List<Object> row = new ArrayList<>(List.of(m.name(), Text.number(at(m.values(), 0))));
            for (int i = 1; i < vs.size(); i++) {
                row.add(Text.number(at(m.values(), i)));
                Double delta = at(m.deltas(), i);
                String relative = Text.percent(at(m.relativeDeltas(), i));
                row.add(delta == null ? "-" : Text.signed(delta) + (relative.isEmpty() ? "" : " (" + relative + ")"));
            }
            metrics.row(row.toArray());
        }
        if (metrics.isEmpty()) {
            out.println("metrics: none recorded");
        } else {
            metrics.print(out);
        }
        out.println();
        List<String> paramHeader = new ArrayList<>(List.of("PARAM"));
        vs.forEach(v -> paramHeader.add("v" + v));
        Table params = new Table(paramHeader.toArray(String[]::new));
        for (ParamRow p : nullSafe(c.params())) {
            if (p.differs()) {
                List<Object> row = new ArrayList<>(List.of(p.name()));
                for (int i = 0; i < vs.size(); i++) {
                    row.add(at(p.values(), i));
                }
                params.row(row.toArray());
            }
        }
        if (params.isEmpty()) {
            out.println("params: no differences");
        } else {
            params.print(out);
        }
        out.println();
        Table changes = new Table("VERSION", "LINEAGE", "FILES", "SIGNATURE");
        for (int i = 1; i < vs.size(); i++) {
            int v = vs.get(i);
            changes.row("v" + v, lineage(find(c.lineage(), v)), files(find(c.files(), v)),
                    signature(find(c.signatures(), v)));
        }
        out.println("changes against v" + vs.get(0) + ":");
        changes.print(out, "  ");
    }

    private static String lineage(LineageDiff d) {
        if (d == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (d.datasetsChanged()) {
            parts.add("datasets changed" + plusMinus(d.datasetsAdded(), d.datasetsRemoved()));
        }
        if (d.commitChanged()) {
            parts.add("commit " + (d.commit() == null ? "removed" : "-> " + Text.shortDigest(d.commit())));
        }
        if (d.parentsChanged()) {
            parts.add("parents changed");
        }
        return parts.isEmpty() ? "same" : String.join("; ", parts);
    }

    private static String files(FileDiff d) {
        if (d == null) {
            return "";
        }
        if (d.identical()) {
            return "identical";
        }
        List<String> parts = new ArrayList<>();
        nullSafe(d.added()).forEach(p -> parts.add("+" + p));
        nullSafe(d.removed()).forEach(p -> parts.add("-" + p));
        for (ChangedFile f : nullSafe(d.changed())) {
            parts.add("~" + f.path());
        }
        String delta = (d.sizeDelta() >= 0 ? "+" : "-") + ByteSize.format(Math.abs(d.sizeDelta()));
        return String.join(" ", parts) + " (" + delta + ")";
    }

    private static String signature(SignatureDiff d) {
        if (d == null) {
            return "";
        }
        if (d.identical()) {
            return "identical";
        }
        return d.compatible() ? "compatible" : "breaking: " + String.join(", ", nullSafe(d.breaking()));
    }

    private static String plusMinus(List<String> added, List<String> removed) {
        List<String> parts = new ArrayList<>();
        nullSafe(added).forEach(a -> parts.add("+" + a));
        nullSafe(removed).forEach(r -> parts.add("-" + r));
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static <T> T find(List<T> diffs, int version) {
        for (T d : nullSafe(diffs)) {
            int v = d instanceof LineageDiff l ? l.version() : d instanceof FileDiff f ? f.version()
                    : ((SignatureDiff) d).version();
            if (v == version) {
                return d;
            }
        }
        return null;
    }

    private static <T> T at(List<T> values, int index) {
        return values == null || index >= values.size() ? null : values.get(index);
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
