package dev.claudedevc.cli;

import dev.claudedevc.ClaudeDevcException;

/** The documented exit codes; the one place where failures become numbers. */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int INTERNAL_ERROR = 1;
    public static final int USAGE = 2;
    public static final int INVALID_DESCRIPTOR = 3;
    public static final int REFUSED_OVERWRITE = 4;
    public static final int DRIFT = 5;
    public static final int INVALID_OUTPUT = 6;
    public static final int DOCKER_UNAVAILABLE = 7;
    public static final int BUILD_FAILED = 8;
    public static final int VERIFICATION_FAILED = 9;
    public static final int IO_ERROR = 10;
    public static final int NOT_READY = 11;
    /** {@code check}: the destination is not allowed (a result, not a failure: nothing went wrong). */
    public static final int DENIED = 12;
    public static final int APPLY_FAILED = 13;

    private ExitCodes() {
    }

    public static int of(ClaudeDevcException.Kind kind) {
        return switch (kind) {
            case INVALID_DESCRIPTOR -> INVALID_DESCRIPTOR;
            case REFUSED_OVERWRITE -> REFUSED_OVERWRITE;
            case DRIFT -> DRIFT;
            case INVALID_OUTPUT -> INVALID_OUTPUT;
            case DOCKER_UNAVAILABLE -> DOCKER_UNAVAILABLE;
            case BUILD_FAILED -> BUILD_FAILED;
            case VERIFICATION_FAILED -> VERIFICATION_FAILED;
            case IO -> IO_ERROR;
            case NOT_READY -> NOT_READY;
            case APPLY_FAILED -> APPLY_FAILED;
        };
    }
}
