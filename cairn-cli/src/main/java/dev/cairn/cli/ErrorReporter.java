package dev.cairn.cli;

import java.io.UncheckedIOException;
import picocli.CommandLine;

/** Reports any failure as one line on stderr, never a stack trace, and exits with the status from {@link ExitCodes}. */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
        command.getErr().println("error: " + describe(failure));
        command.getErr().flush();
        return command.getExitCodeExceptionMapper().getExitCode(failure);
    }

    @Override
    public int handleParseException(CommandLine.ParameterException failure, String[] args) {
        CommandLine command = failure.getCommandLine();
        command.getErr().println("error: " + failure.getMessage() + " (see '"
                + command.getCommandSpec().qualifiedName() + " --help')");
        command.getErr().flush();
        return command.getExitCodeExceptionMapper().getExitCode(failure);
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
