package dev.cairn.cli;

import dev.cairn.cli.commands.AliasCommand;
import dev.cairn.cli.commands.AuditCommand;
import dev.cairn.cli.commands.CompareCommand;
import dev.cairn.cli.commands.DbCommand;
import dev.cairn.cli.commands.DeploymentsCommand;
import dev.cairn.cli.commands.DownloadCommand;
import dev.cairn.cli.commands.GrantsCommand;
import dev.cairn.cli.commands.HistoryCommand;
import dev.cairn.cli.commands.LineageCommand;
import dev.cairn.cli.commands.MigrateStorageCommand;
import dev.cairn.cli.commands.ModelsCommand;
import dev.cairn.cli.commands.PolicyCommand;
import dev.cairn.cli.commands.PromoteCommand;
import dev.cairn.cli.commands.RegisterCommand;
import dev.cairn.cli.commands.RequestsCommand;
import dev.cairn.cli.commands.ResolveCommand;
import dev.cairn.cli.commands.RollbackCommand;
import dev.cairn.cli.commands.ServeCommand;
import dev.cairn.cli.commands.TokensCommand;
import dev.cairn.cli.commands.UsersCommand;
import dev.cairn.cli.commands.VerifyCommand;
import dev.cairn.cli.commands.VersionsCommand;
import dev.cairn.cli.commands.WebhooksCommand;
import dev.cairn.cli.commands.WhoamiCommand;
import dev.cairn.client.CairnClient;
import java.nio.file.Path;
import java.util.Map;
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
            "1:verification found missing or corrupt files, a broken audit log, or another failure",
            "2:invalid input (bad option, name, reference or value)",
            "3:not found (model, version, alias, file)",
            "4:conflict (already exists, or the registry's state or a promotion policy refuses it)",
            "5:cannot reach the server",
            "6:not authenticated (no token, or an unknown, expired or revoked one)",
            "7:permission denied (your role does not allow it)",
        },
        subcommands = {
            ServeCommand.class, ModelsCommand.class, RegisterCommand.class, VersionsCommand.class,
            PromoteCommand.class, AliasCommand.class, RollbackCommand.class, ResolveCommand.class,
            DownloadCommand.class, CompareCommand.class, LineageCommand.class, HistoryCommand.class, DeploymentsCommand.class,
            VerifyCommand.class, RequestsCommand.class, PolicyCommand.class, GrantsCommand.class, AuditCommand.class,
            UsersCommand.class, TokensCommand.class, WhoamiCommand.class, WebhooksCommand.class, DbCommand.class,
            MigrateStorageCommand.class, CommandLine.HelpCommand.class,
        })
public final class Main {

    /** How results are printed. */
    public enum OutputFormat { table, json }

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:CAIRN_URL:-http://127.0.0.1:8080}",
            description = "Server URL (env CAIRN_URL; default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "API token, for a server with authentication (env CAIRN_TOKEN; this option wins). "
                    + "Never printed.")
    String token;

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

    /** The API token to send: {@code --token}, else {@code CAIRN_TOKEN}, else none. */
    public String token() {
        return token(token, System.getenv());
    }

    static String token(String option, Map<String, String> env) {
        if (option != null && !option.isBlank()) {
            return option.strip();
        }
        String fromEnv = env.get("CAIRN_TOKEN");
        return fromEnv == null || fromEnv.isBlank() ? null : fromEnv.strip();
    }

    /**
     * A client for {@link #url()} with {@link #token()}; without authentication on the server it acts as the
     * operating-system user.
     */
    public CairnClient client() {
        return CairnClient.builder().baseUrl(url).user(System.getProperty("user.name")).token(token()).build();
    }
}
