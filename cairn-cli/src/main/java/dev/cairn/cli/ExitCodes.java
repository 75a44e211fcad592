package dev.cairn.cli;

import dev.cairn.client.CairnConnectionException;
import dev.cairn.client.ConflictException;
import dev.cairn.client.InvalidArgumentException;
import dev.cairn.client.NotFoundException;
import dev.cairn.client.PermissionDeniedException;
import dev.cairn.client.UnauthenticatedException;
import dev.cairn.core.RegistryException;
import picocli.CommandLine;

/**
 * The one mapping from a failure to the exit status of {@code cairn}. The statuses are listed for users in the
 * {@code exitCodeList} of {@link Main}, which every command's help inherits.
 */
public final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {
    public static final int OK = 0;
    /** Verification found missing or corrupt files or a broken audit log, or a failure that fits no other status. */
    public static final int FAILURE = 1;
    public static final int INVALID = 2;
    public static final int NOT_FOUND = 3;
    /** Already exists, or the registry's state refuses it: including a promotion its policy blocks. */
    public static final int CONFLICT = 4;
    public static final int UNREACHABLE = 5;
    public static final int UNAUTHENTICATED = 6;
    public static final int PERMISSION_DENIED = 7;

    @Override
    public int getExitCode(Throwable failure) {
        Throwable cause = StepFailed.cause(failure);
        if (cause instanceof CommandLine.ParameterException || cause instanceof InvalidArgumentException
                || cause instanceof IllegalArgumentException) {
            return INVALID;
        } else if (cause instanceof NotFoundException) {
            return NOT_FOUND;
        } else if (cause instanceof ConflictException) {
            return CONFLICT;
        } else if (cause instanceof CairnConnectionException) {
            return UNREACHABLE;
        } else if (cause instanceof UnauthenticatedException) {
            return UNAUTHENTICATED;
        } else if (cause instanceof PermissionDeniedException) {
            return PERMISSION_DENIED;
        } else if (cause instanceof RegistryException registry) {
            // Commands that work on the stores directly (db migrate, migrate-storage) fail with the core's errors.
            return switch (registry.code()) {
                case INVALID_ARGUMENT -> INVALID;
                case NOT_FOUND -> NOT_FOUND;
                case ALREADY_EXISTS, FAILED_PRECONDITION -> CONFLICT;
                default -> FAILURE;
            };
        }
        return FAILURE;
    }
}
