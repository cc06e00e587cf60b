package dev.claudedevc.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.claudedevc.ClaudeDevcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The one place that makes a Docker client. Where the engine is: {@code DOCKER_HOST} when set (TLS settings from
 * {@code DOCKER_TLS_VERIFY}/{@code DOCKER_CERT_PATH}); otherwise {@code /var/run/docker.sock}; when that does not
 * exist, Podman's Docker-compatible socket ({@code $XDG_RUNTIME_DIR/podman/podman.sock}, then
 * {@code /run/podman/podman.sock}). The API version is left to negotiation (pinning one breaks on other engines).
 * The engine is pinged with a short timeout before it is handed out.
 */
public final class DockerEngines {

    static final String DOCKER_SOCKET = "/var/run/docker.sock";
    static final Duration PING_TIMEOUT = Duration.ofSeconds(5);

    private DockerEngines() {
    }

    /** Connects to the engine the environment names and pings it. */
    public static DockerEngine connect() {
        return connect(System.getenv());
    }

    /**
     * Connects to the engine {@code env} names and pings it.
     *
     * @throws ClaudeDevcException of kind {@code DOCKER_UNAVAILABLE} when it does not answer
     */
    public static DockerEngine connect(Map<String, String> env) {
        String host = resolveHost(env, Files::exists);
        DefaultDockerClientConfig config;
        try {
            config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
        } catch (RuntimeException e) {
            throw unavailable(host, e);
        }
        ping(config);
        DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(10))
                .maxConnections(16)
                .build();
        return new DockerJavaEngine(DockerClientImpl.getInstance(config, http), host);
    }

    /**
     * Where the engine is, following the rules in the class comment.
     *
     * @param env    the environment
     * @param exists whether a path exists (a parameter so the rules can be tested)
     */
    static String resolveHost(Map<String, String> env, Predicate<Path> exists) {
        String dockerHost = env.get("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            return dockerHost.strip();
        }
        if (exists.test(Path.of(DOCKER_SOCKET))) {
            return "unix://" + DOCKER_SOCKET;
        }
        Optional<Path> runtimeDir = Optional.ofNullable(env.get("XDG_RUNTIME_DIR")).filter(d -> !d.isBlank())
                .map(Path::of);
        for (Path candidate : new Path[] {
                runtimeDir.map(d -> d.resolve("podman/podman.sock")).orElse(null),
                Path.of("/run/podman/podman.sock")}) {
            if (candidate != null && exists.test(candidate)) {
                return "unix://" + candidate;
            }
        }
        return "unix://" + DOCKER_SOCKET;
    }

    private static void ping(DefaultDockerClientConfig config) {
        String host = config.getDockerHost().toString();
        DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(PING_TIMEOUT)
                .responseTimeout(PING_TIMEOUT)
                .build();
        try (DockerClient client = DockerClientImpl.getInstance(config, http)) {
            client.pingCmd().exec();
        } catch (IOException | RuntimeException e) {
            throw unavailable(host, e);
        }
    }

    static ClaudeDevcException unavailable(String host, Throwable e) {
        return new ClaudeDevcException(ClaudeDevcException.Kind.DOCKER_UNAVAILABLE,
                "no Docker engine at " + host + ": " + rootMessage(e)
                        + " (start Docker or Podman, or set DOCKER_HOST)", e);
    }

    /** The innermost cause's message, on one line. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null || message.isBlank()) {
            message = root.getClass().getSimpleName();
        }
        return BuildProgress.oneLine(message);
    }
}
