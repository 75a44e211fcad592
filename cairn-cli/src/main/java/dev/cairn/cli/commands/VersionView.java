package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.Code;
import dev.cairn.api.ApiModels.Column;
import dev.cairn.api.ApiModels.Dataset;
import dev.cairn.api.ApiModels.FileInfo;
import dev.cairn.api.ApiModels.Lineage;
import dev.cairn.api.ApiModels.Parent;
import dev.cairn.api.ApiModels.Signature;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.api.ByteSize;
import dev.cairn.cli.Table;
import dev.cairn.cli.Text;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The human view of one version: a "key: value" block, its lineage, then its files. */
final class VersionView {
    private VersionView() {}

    static void print(Version v, PrintWriter out) {
        Table block = Table.headless()
                .row("name:", v.name())
                .row("version:", v.version())
                .row("status:", v.status())
                .row("stage:", v.stage())
                .row("aliases:", Text.list(v.aliases()))
                .row("digest:", external(v) ? "none: an external reference, not content-addressed" : v.digest())
                .row("size:", ByteSize.format(v.size()) + " in "
                        + Text.count(v.files() == null ? 0 : v.files().size(), "file"))
                .row("created:", Text.time(v.createdAt()) + (v.createdBy() == null ? "" : " by " + v.createdBy()))
                .row("description:", v.description())
                .row("format:", v.format())
                .row("source:", v.source())
                .row("run id:", v.runId())
                .row("tags:", Text.pairs(v.tags()))
                .row("metrics:", Text.pairs(v.metrics()))
                .row("params:", Text.pairs(v.params()))
                .row("signature:", signature(v.signature()));
        block.print(out);
        List<String[]> lineage = lineage(v.lineage());
        if (!lineage.isEmpty()) {
            out.println("lineage:");
            Table table = Table.headless();
            lineage.forEach(row -> table.row((Object[]) row));
            table.print(out, "  ");
        }
        if (v.files() != null && !v.files().isEmpty()) {
            out.println("files:");
            filesTable(v.files()).print(out, "  ");
        }
    }

    /** Registered through the MLflow API from files Cairn does not hold: there is no digest to show or check. */
    static boolean external(Version v) {
        return Boolean.FALSE.equals(v.contentAddressed());
    }

    static Table filesTable(List<FileInfo> files) {
        Table table = new Table("PATH", "SIZE", "SHA256");
        files.forEach(f -> table.row(f.path(), ByteSize.format(f.size()), f.sha256()));
        return table;
    }

    /** One row per lineage fact: {"dataset:", "train s3://x @v3 sha256:..."}; empty when nothing was recorded. */
    static List<String[]> lineage(Lineage lineage) {
        List<String[]> rows = new ArrayList<>();
        if (lineage == null) {
            return rows;
        }
        Code code = lineage.code();
        if (code != null) {
            rows.add(new String[] {"code:", code(code)});
        }
        if (lineage.datasets() != null) {
            for (Dataset d : lineage.datasets()) {
                rows.add(new String[] {"dataset:", dataset(d)});
            }
        }
        if (lineage.parents() != null) {
            for (Parent p : lineage.parents()) {
                rows.add(new String[] {"parent:", p.model() + ":" + p.version()
                        + (p.relation() == null ? "" : " (" + p.relation() + ")")});
            }
        }
        if (lineage.run() != null) {
            rows.add(new String[] {"run:", join(lineage.run().id(), lineage.run().uri())});
        }
        if (lineage.environment() != null) {
            rows.add(new String[] {"environment:", join(lineage.environment().runtime(),
                    lineage.environment().lockfileDigest(), Text.list(lineage.environment().dependencies()))});
        }
        return rows;
    }

    static String code(Code code) {
        List<String> flags = new ArrayList<>();
        if (code.branch() != null) {
            flags.add("branch " + code.branch());
        }
        if (Boolean.TRUE.equals(code.dirty())) {
            flags.add("dirty");
        }
        if (code.path() != null) {
            flags.add("path " + code.path());
        }
        return join(code.repository(), code.commit(), flags.isEmpty() ? null : "(" + String.join(", ", flags) + ")");
    }

    static String dataset(Dataset d) {
        String where = (d.uri() == null ? d.name() : d.uri()) + (d.version() == null ? "" : "@" + d.version());
        return join(d.role(), where, d.digest());
    }

    static String signature(Signature signature) {
        if (signature == null) {
            return null;
        }
        return "inputs (" + columns(signature.inputs()) + ") -> outputs (" + columns(signature.outputs()) + ")";
    }

    private static String columns(List<Column> columns) {
        if (columns == null) {
            return "";
        }
        return columns.stream()
                .map(c -> c.name() + ":" + c.type() + (Boolean.TRUE.equals(c.optional()) ? "?" : ""))
                .collect(Collectors.joining(", "));
    }

    private static String join(String... parts) {
        return Arrays.stream(parts).filter(p -> p != null && !p.isBlank()).collect(Collectors.joining(" "));
    }
}
