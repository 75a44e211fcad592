package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.Version;
import dev.cairn.api.ByteSize;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.ProgressBar;
import dev.cairn.cli.Text;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "download", description = {"Download the files of the version a reference selects.",
    "Every file is checked against the sha256 of the manifest before it is put in place; paths that would land "
            + "outside DIR are refused."})
public final class DownloadCommand extends CairnCommand {
    @Parameters(paramLabel = "REF", description = ResolveCommand.REF_HELP)
    String reference;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the files (default ./NAME-vVERSION).")
    String out;

    @Override
    protected int run() {
        Version v = client().resolve(reference).version();
        Path dir = path(out == null ? v.name() + "-v" + v.version() : out);
        List<Path> written = client().downloadVersion(v, dir, ProgressBar.forTerminal(err()));
        return print(v, () -> out().println("downloaded " + v.name() + " version " + v.version() + " ("
                + Text.count(written.size(), "file") + ", " + ByteSize.format(v.size()) + ", " + v.digest() + ") to "
                + dir));
    }
}
