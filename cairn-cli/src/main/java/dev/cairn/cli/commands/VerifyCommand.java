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
    "Versions registered through the MLflow API from files kept elsewhere (s3://, https://, ...) are reported as "
        + "unverifiable; they do not fail the check.",
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
                if (unverifiable(c)) {
                    table.row(c.name(), c.version(), 0, "-", "-", "-", "unverifiable");
                } else {
                    table.row(c.name(), c.version(), c.filesChecked(), count(c.missing()), count(c.corrupt()),
                            c.digestMatches() ? "ok" : "MISMATCH", c.ok() ? "ok" : "FAILED");
                }
            }
            table.print(out());
            for (VersionCheck c : checks) {
                String where = c.name() + " v" + c.version();
                list(c.missing()).forEach(p -> out().println(where + ": missing " + p));
                list(c.corrupt()).forEach(p -> out().println(where + ": corrupt " + p));
                if (unverifiable(c)) {
                    out().println(where + ": unverifiable: an external reference, Cairn holds none of its files");
                }
                list(c.lineageWarnings()).forEach(w -> out().println(where + ": warning: " + w));
            }
            long external = checks.stream().filter(VerifyCommand::unverifiable).count();
            String skipped = external == 0 ? "" : " (" + external + " unverifiable: external references)";
            out().println(report.ok() ? "verified " + (checks.size() - external) + " versions: ok" + skipped
                    : "verification FAILED: files are missing or corrupt" + skipped);
        });
        return report.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** A version registered from files kept elsewhere: neither verified nor failed, so it does not change the exit status. */
    private static boolean unverifiable(VersionCheck check) {
        return Boolean.TRUE.equals(check.unverifiable());
    }

    private static int count(List<String> paths) {
        return list(paths).size();
    }

    private static List<String> list(List<String> values) {
        return values == null ? List.of() : values;
    }
}
