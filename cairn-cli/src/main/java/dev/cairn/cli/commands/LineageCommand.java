package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.Lineage;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.api.ApiModels.VersionList;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.Table;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

@Command(name = "lineage", description = {"Show what a version was built from, or ask the reverse question:",
    "  cairn lineage NAME VERSION           the lineage record of one version",
    "  cairn lineage --dataset URI|DIGEST   versions trained on a dataset (URI, name or sha256:HEX)",
    "  cairn lineage --commit SHA           versions built from a commit (4+ characters)",
    "  cairn lineage --parent NAME:VERSION  versions derived from a version"})
public final class LineageCommand extends CairnCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION")
    Integer version;

    @ArgGroup(exclusive = true)
    Reverse reverse;

    static final class Reverse {
        @Option(names = "--dataset", paramLabel = "URI_OR_DIGEST")
        String dataset;

        @Option(names = "--commit", paramLabel = "SHA")
        String commit;

        @Option(names = "--parent", paramLabel = "NAME:VERSION", converter = Arguments.ParentConverter.class)
        dev.cairn.api.ApiModels.Parent parent;
    }

    @Override
    protected int run() {
        if (reverse == null) {
            if (name == null || version == null) {
                throw new ParameterException(spec.commandLine(),
                        "give NAME VERSION, or one of --dataset, --commit, --parent");
            }
            Version v = client().getVersion(name, version);
            Lineage lineage = v.lineage() == null ? new Lineage(List.of(), null, null, List.of(), null) : v.lineage();
            return print(lineage, () -> {
                List<String[]> rows = VersionView.lineage(lineage);
                if (rows.isEmpty()) {
                    out().println(name + " version " + version + ": no lineage recorded");
                    return;
                }
                Table table = Table.headless();
                rows.forEach(row -> table.row((Object[]) row));
                table.print(out());
            });
        }
        if (name != null) {
            throw new ParameterException(spec.commandLine(), "give either NAME VERSION or a reverse query, not both");
        }
        List<Version> versions = VersionsCommand.all(token -> query(token));
        return print(new VersionList(versions, null), () -> {
            if (versions.isEmpty()) {
                out().println("no versions found");
            } else {
                VersionsCommand.table(versions, true).print(out());
            }
        });
    }

    private VersionList query(String token) {
        if (reverse.dataset != null) {
            return client().versionsUsingDataset(reverse.dataset, 1000, token);
        } else if (reverse.commit != null) {
            return client().versionsFromCommit(reverse.commit, 1000, token);
        }
        return client().versionsDerivedFrom(reverse.parent.model(), reverse.parent.version(), 1000, token);
    }
}
