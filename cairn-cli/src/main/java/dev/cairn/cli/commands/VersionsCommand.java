package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.Version;
import dev.cairn.api.ApiModels.VersionList;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.Table;
import dev.cairn.cli.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "versions", description = "List and show model versions.",
        subcommands = {VersionsCommand.ListVersions.class, VersionsCommand.Show.class})
public final class VersionsCommand {

    @Command(name = "list", description = "List the versions of a model, newest first.")
    static final class ListVersions extends CairnCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--status", paramLabel = "STATUS", description = "Only versions with this status, e.g. READY.")
        String status;

        @Option(names = "--stage", paramLabel = "STAGE", description = "Only versions in this stage, e.g. production.")
        String stage;

        @Override
        protected int run() {
            List<Version> versions = all(token -> client().listVersions(name, status, stage, 1000, token));
            return print(new VersionList(versions, null), () -> table(versions, false).print(out()));
        }
    }

    @Command(name = "show", description = "Show one version: status, stage, aliases, digest, metrics, params, "
            + "lineage and files.")
    static final class Show extends CairnCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION")
        int version;

        @Override
        protected int run() {
            Version v = client().getVersion(name, version);
            return print(v, () -> VersionView.print(v, out()));
        }
    }

    /** Reads every page of a version listing. */
    static List<Version> all(Function<String, VersionList> page) {
        List<Version> versions = new ArrayList<>();
        String token = null;
        do {
            VersionList list = page.apply(token);
            versions.addAll(list.versions());
            token = list.nextPageToken();
        } while (token != null);
        return versions;
    }

    /** One row per version; {@code withName} adds the model name for listings across models. */
    static Table table(List<Version> versions, boolean withName) {
        Table table = withName
                ? new Table("MODEL", "VERSION", "STATUS", "STAGE", "ALIASES", "CREATED", "BY", "DIGEST", "METRICS")
                : new Table("VERSION", "STATUS", "STAGE", "ALIASES", "CREATED", "BY", "DIGEST", "METRICS");
        for (Version v : versions) {
            List<Object> row = new ArrayList<>();
            if (withName) {
                row.add(v.name());
            }
            row.addAll(List.of(v.version(), v.status(), String.valueOf(v.stage()), aliases(v), Text.time(v.createdAt()),
                    v.createdBy() == null ? "" : v.createdBy(),
                    VersionView.external(v) ? "external" : Text.shortDigest(v.digest()), Text.pairs(v.metrics())));
            table.row(row.toArray());
        }
        return table;
    }

    private static String aliases(Version v) {
        return v.aliases() == null ? "" : v.aliases().stream().map(a -> "@" + a).reduce((a, b) -> a + ", " + b).orElse("");
    }
}
