package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.VerifyReport;
import dev.cairn.api.ApiModels.VersionCheck;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.ExitCodes;
import dev.cairn.cli.Table;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "verify", description = {"Recompute the sha256 of stored files against their manifests: of one "
        + "version, of every version of a model, or (no arguments) of the whole registry.",
    "Exits with status 1 when any file is missing or corrupt."})
public final class VerifyCommand extends CairnCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION")
    Integer version;

    @Override
    protected int run() {
        VerifyReport report = name == null ? client().verifyAll()
                : version == null ? client().verify(name) : client().verify(name, version);
        print(report, () -> {
            Table table = new Table("MODEL", "VERSION", "FILES", "MISSING", "CORRUPT", "DIGEST", "RESULT");
            List<VersionCheck> checks = report.versions() == null ? List.of() : report.versions();
            for (VersionCheck c : checks) {
                table.row(c.name(), c.version(), c.filesChecked(), count(c.missing()), count(c.corrupt()),
                        c.digestMatches() ? "ok" : "MISMATCH", c.ok() ? "ok" : "FAILED");
            }
            table.print(out());
            for (VersionCheck c : checks) {
                String where = c.name() + " v" + c.version();
                list(c.missing()).forEach(p -> out().println(where + ": missing " + p));
                list(c.corrupt()).forEach(p -> out().println(where + ": corrupt " + p));
                list(c.lineageWarnings()).forEach(w -> out().println(where + ": warning: " + w));
            }
            out().println(report.ok() ? "verified " + checks.size() + " versions: ok"
                    : "verification FAILED: files are missing or corrupt");
        });
        return report.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private static int count(List<String> paths) {
        return list(paths).size();
    }

    private static List<String> list(List<String> values) {
        return values == null ? List.of() : values;
    }
}
