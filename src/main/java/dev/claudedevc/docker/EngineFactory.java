package dev.claudedevc.docker;

/**
 * Where the commands get their engine: chosen once at the top ({@link DockerEngines#connect()} for the real one; a
 * scripted one in unit tests), so command logic never decides which engine it talks to.
 */
@FunctionalInterface
public interface EngineFactory {

    /** The real engine the environment names (see {@link DockerEngines}). */
    EngineFactory REAL = DockerEngines::connect;

    /**
     * Connects; the caller closes what it gets.
     *
     * @throws dev.claudedevc.ClaudeDevcException of kind {@code DOCKER_UNAVAILABLE} when no engine answers
     */
    DockerEngine connect();
}
