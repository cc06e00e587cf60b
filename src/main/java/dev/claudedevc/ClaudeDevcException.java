package dev.claudedevc;

import java.util.Objects;

/**
 * A controlled failure: something the user can act on, reported as one line and mapped to an exit code by the
 * CLI (in one place). Anything else that escapes is a bug and is reported as an internal error.
 */
public class ClaudeDevcException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, coarsely; each kind has its own documented exit code. */
    public enum Kind {
        /** The descriptor (or a file it names) is unreadable or invalid. */
        INVALID_DESCRIPTOR,
        /** Writing would overwrite a file the user has, and {@code --force} was not given. */
        REFUSED_OVERWRITE,
        /** The committed {@code .devcontainer/} differs from what the descriptor renders. */
        DRIFT,
        /** The rendered output (or a team template) is invalid. */
        INVALID_OUTPUT,
        /** No Docker engine answers. */
        DOCKER_UNAVAILABLE,
        /** The image build failed. */
        BUILD_FAILED,
        /** The firewall did not hold: a probe had an unexpected result. */
        VERIFICATION_FAILED,
        /** A file could not be read or written for a reason outside the user's input. */
        IO,
        /** An earlier step has not run: nothing rendered to build, no image to verify. */
        NOT_READY,
        /**
         * {@code apply}: the running container's firewall did not take the new policy (refused, or failed applying
         * it); the container is left closed or as it was, never opened by the attempt.
         */
        APPLY_FAILED
    }

    private final Kind kind;

    public ClaudeDevcException(Kind kind, String message) {
        this(kind, message, null);
    }

    public ClaudeDevcException(Kind kind, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
