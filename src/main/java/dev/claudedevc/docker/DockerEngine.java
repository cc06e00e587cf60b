package dev.claudedevc.docker;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The narrow view of a Docker-compatible engine that claude-devc needs: build an image, run throwaway containers on
 * a throwaway network, run commands in them. Implementations translate the engine's failures: an engine that stops
 * answering is a {@code DOCKER_UNAVAILABLE} {@link dev.claudedevc.ClaudeDevcException}, a refused request an
 * {@link EngineException}.
 */
public interface DockerEngine extends AutoCloseable {

    /** Where this engine is, e.g. {@code unix:///var/run/docker.sock}. */
    String endpoint();

    /**
     * Builds an image from {@link BuildRequest#contextDir()} without pulling, streaming progress to the listener.
     *
     * @return the built image
     * @throws BuildFailedException when a step fails
     */
    ImageInfo build(BuildRequest request, BuildListener listener);

    /** The local image with this reference or id, if there is one. */
    Optional<ImageInfo> image(String reference);

    /** Creates a network. */
    NetworkInfo createNetwork(NetworkSpec spec);

    /** The network with this name or id, if there is one. */
    Optional<NetworkInfo> network(String nameOrId);

    /** Removes a network; a network that is already gone is not an error. */
    void removeNetwork(String id);

    /** Creates and starts a container and reports its addresses on {@link ContainerSpec#network()}. */
    ContainerInfo start(ContainerSpec spec);


    /** The running container with this name or id, if there is one. */
    Optional<RunningContainer> runningContainer(String nameOrId);

    /** The running containers that carry every one of these labels (name to value). */
    List<RunningContainer> runningContainers(java.util.Map<String, String> labels);

    /** Stops a running container (kills it after a short grace period); one that is not running is not an error. */
    void stopContainer(String id);

    /** Removes a container, running or not; one that is already gone is not an error. */
    void removeContainer(String id);

    /**
     * Runs a command in a running container and waits for it. As root, the command gets a clean environment: none
     * of the container's variables (a planted LD_PRELOAD or BASH_ENV would run code as root), a fixed PATH.
     *
     * @param user    the user to run as ({@code root}, a name or a uid)
     * @param command the program and its arguments (no shell unless the command names one)
     * @param timeout how long to wait; a command still running then is reported as timed out
     */
    ExecResult exec(String containerId, String user, List<String> command, Duration timeout);

    /**
     * Copies a folder's regular files out of a container through the engine's archive endpoint (no process is
     * started in the container).
     *
     * @param path     an absolute path in the container
     * @param maxBytes the most this reads in all; more is an {@link EngineException}
     * @return file contents by name relative to {@code path}'s parent (e.g. {@code claude-devc/dns.log}), in
     *         archive order; empty when the path does not exist
     */
    java.util.Map<String, byte[]> readFiles(String containerId, String path, long maxBytes);

    /**
     * Writes regular files into an existing folder of a running container through the engine's archive endpoint (no
     * process is started in the container): each root-owned (uid and gid 0) with mode 0644, in root-owned 0755
     * folders made as needed. The engine resolves {@code dir} inside the container's file system.
     *
     * @param dir   an absolute path in the container
     * @param files contents by path relative to {@code dir} ({@code a/b.conf}: no {@code ..}, no leading /)
     */
    void writeFiles(String containerId, String dir, java.util.Map<String, byte[]> files);

    /** Starts a command in a running container without waiting for it (a background service); root as above. */
    void execDetached(String containerId, String user, List<String> command);

    /** Releases the connection. Never throws. */
    @Override
    void close();
}
