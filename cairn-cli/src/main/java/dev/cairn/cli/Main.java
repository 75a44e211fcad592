package dev.cairn.cli;

import dev.cairn.cli.commands.AliasCommand;
import dev.cairn.cli.commands.CompareCommand;
import dev.cairn.cli.commands.DbCommand;
import dev.cairn.cli.commands.DownloadCommand;
import dev.cairn.cli.commands.HistoryCommand;
import dev.cairn.cli.commands.LineageCommand;
import dev.cairn.cli.commands.MigrateStorageCommand;
import dev.cairn.cli.commands.ModelsCommand;
import dev.cairn.cli.commands.PromoteCommand;
import dev.cairn.cli.commands.RegisterCommand;
import dev.cairn.cli.commands.ResolveCommand;
import dev.cairn.cli.commands.RollbackCommand;
import dev.cairn.cli.commands.ServeCommand;
import dev.cairn.cli.commands.VerifyCommand;
import dev.cairn.cli.commands.VersionsCommand;
import dev.cairn.client.CairnClient;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code cairn}: the registry server and every verb over it. Options here apply to every subcommand. */
@Command(name = "cairn", mixinStandardHelpOptions = true, version = "cairn 0.1.0",
        scope = ScopeType.INHERIT, usageHelpAutoWidth = true,
        description = "Cairn model registry: immutable numbered model versions with metrics and lineage, "
                + "audited stages and aliases.",
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {
            "0:success",
            "1:verification found missing or corrupt files, or another failure",
            "2:invalid input (bad option, name, reference or value)",
            "3:not found (model, version, alias, file)",
            "4:conflict (already exists, or the registry's state refuses it)",
            "5:cannot reach the server",
        },
        subcommands = {
            ServeCommand.class, ModelsCommand.class, RegisterCommand.class, VersionsCommand.class,
            PromoteCommand.class, AliasCommand.class, RollbackCommand.class, ResolveCommand.class,
            DownloadCommand.class, CompareCommand.class, LineageCommand.class, HistoryCommand.class,
            VerifyCommand.class, DbCommand.class, MigrateStorageCommand.class, CommandLine.HelpCommand.class,
        })
public final class Main {

    /** How results are printed. */
    public enum OutputFormat { table, json }

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:CAIRN_URL:-http://127.0.0.1:8080}",
            description = "Server URL (env CAIRN_URL; default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "table|json", defaultValue = "table",
            description = "Print aligned tables (default) or the API records as JSON.")
    OutputFormat output;

    @Option(names = "-C", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Run as if cairn was started in DIR: relative paths, the git work tree and default "
                    + "download directories are taken from there.")
    Path directory;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: error reporting and exit statuses as documented under "Exit status". */
    public static CommandLine commandLine() {
        CommandLine command = new CommandLine(new Main());
        ErrorReporter errors = new ErrorReporter();
        command.setCaseInsensitiveEnumValuesAllowed(true);
        command.setExitCodeExceptionMapper(new ExitCodes());
        command.setExecutionExceptionHandler(errors);
        command.setParameterExceptionHandler(errors);
        return command;
    }

    public String url() {
        return url;
    }

    public OutputFormat output() {
        return output;
    }

    /** The directory relative paths are resolved against. */
    public Path directory() {
        return (directory == null ? Path.of("") : directory).toAbsolutePath().normalize();
    }

    /** A client for {@link #url()}, acting as the operating-system user. */
    public CairnClient client() {
        return CairnClient.builder().baseUrl(url).user(System.getProperty("user.name")).build();
    }
}
