/**
 * The only package that sees docker-java. {@link dev.claudedevc.docker.DockerEngines} makes and pings the one
 * client; {@link dev.claudedevc.docker.DockerEngine} is the narrow interface everyone else uses, and its types are
 * this project's own records, so no docker-java type leaks out.
 *
 * <p>Failures: an engine that does not answer is a {@link dev.claudedevc.ClaudeDevcException} of kind
 * {@code DOCKER_UNAVAILABLE}; a failed image build is a {@link dev.claudedevc.docker.BuildFailedException}; a request
 * the engine refused (a name in use, an image that is missing) is a {@link dev.claudedevc.docker.EngineException},
 * which the caller turns into its own kind of failure.
 */
package dev.claudedevc.docker;
