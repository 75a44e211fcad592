package dev.cairn.cli;

import dev.cairn.client.PolicyBlockedException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Reports any failure as one line on stderr, never a stack trace and never the API token, and exits with the status
 * from {@link ExitCodes}. A promotion blocked by policy is followed by its failed checks, one per line.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
        command.getErr().println(redact("error: " + describe(failure), command));
        if (StepFailed.cause(failure) instanceof PolicyBlockedException blocked) {
            PolicyChecks.table(blocked.failed()).print(command.getErr(), "  ");
        }
        command.getErr().flush();
        return command.getExitCodeExceptionMapper().getExitCode(failure);
    }

    @Override
    public int handleParseException(CommandLine.ParameterException failure, String[] args) {
        CommandLine command = failure.getCommandLine();
        command.getErr().println(redact("error: " + failure.getMessage() + " (see '"
                + command.getCommandSpec().qualifiedName() + " --help')", command));
        command.getErr().flush();
        return command.getExitCodeExceptionMapper().getExitCode(failure);
    }

    /**
     * The token must not leak even when a server or a parser repeats it. Too short to be a real token, it is left
     * alone rather than starring out ordinary words.
     */
    private static String redact(String line, CommandLine command) {
        String token = ((Main) command.getCommandSpec().root().userObject()).token();
        return token == null || token.length() < 8 ? line : line.replace(token, "***");
    }

    private static String describe(Throwable failure) {
        if (failure instanceof UncheckedIOException io && io.getMessage() != null) {
            return io.getMessage();
        }
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return "unexpected " + failure.getClass().getSimpleName();
        }
        boolean ours = failure instanceof RuntimeException && failure.getClass().getPackageName().startsWith("dev.cairn");
        return ours || failure instanceof IllegalArgumentException ? message
                : failure.getClass().getSimpleName() + ": " + message;
    }
}
