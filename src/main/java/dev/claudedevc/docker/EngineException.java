package dev.claudedevc.docker;

/**
 * The engine answered but refused a request (a conflict, a missing image or network, an invalid parameter). The
 * message is one line naming the operation; callers decide which kind of failure it is for the user.
 */
public final class EngineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
