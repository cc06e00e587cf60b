package dev.claudedevc.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.CreateNetworkCmd;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import dev.claudedevc.ClaudeDevcException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link DockerEngine} over docker-java. Thread-safe as far as docker-java's client is. */
final class DockerJavaEngine implements DockerEngine {

    /** Output kept per exec; probes print little, a firewall run a few kilobytes. */
    static final int MAX_OUTPUT = 256 * 1024;

    private static final Pattern ENGINE_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final DockerClient client;
    private final String endpoint;

    DockerJavaEngine(DockerClient client, String endpoint) {
        this.client = client;
        this.endpoint = endpoint;
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public ImageInfo build(BuildRequest request, BuildListener listener) {
        if (!Files.isRegularFile(request.contextDir().resolve("Dockerfile"))) {
            throw new EngineException("no Dockerfile in " + request.contextDir(), null);
        }
        byte[] context = BuildContext.tar(request.contextDir());
        BuildProgress progress = new BuildProgress(listener);
        String[] builtId = new String[1];
        ResultCallback.Adapter<BuildResponseItem> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(BuildResponseItem item) {
                if (item.getStream() != null) {
                    progress.accept(item.getStream());
                }
                if (item.isErrorIndicated()) {
                    progress.error(item.getErrorDetail() == null ? null : item.getErrorDetail().getMessage());
                } else if (item.isBuildSuccessIndicated() && item.getImageId() != null) {
                    builtId[0] = item.getImageId();
                }
            }
        };
        BuildImageCmd cmd = client.buildImageCmd(new ByteArrayInputStream(context))
                .withTags(new LinkedHashSet<>(request.tags()))
                .withLabels(request.labels())
                .withNoCache(request.noCache())
                .withPull(false)
                .withRemove(true)
                .withForcerm(true);
        request.sortedBuildArgs().forEach(cmd::withBuildArg);
        try {
            cmd.exec(callback).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildFailedException(progress.step(), "interrupted", progress.tail());
        } catch (DockerException e) {
            throw new BuildFailedException(progress.step(), engineMessage(e), progress.tail());
        } catch (RuntimeException e) {
            throw transportFailure("build", e);
        } finally {
            progress.flush();
        }
        if (progress.error().isPresent()) {
            throw new BuildFailedException(progress.step(), progress.error().get(), progress.tail());
        }
        String reference = request.tags().get(0);
        return image(reference).orElseThrow(() -> new BuildFailedException(progress.step(),
                "the engine reported no image" + (builtId[0] == null ? "" : " (last id " + builtId[0] + ")"),
                progress.tail()));
    }

    @Override
    public Optional<ImageInfo> image(String reference) {
        InspectImageResponse image;
        try {
            image = client.inspectImageCmd(reference).exec();
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        Map<String, String> labels = image.getConfig() == null || image.getConfig().getLabels() == null
                ? Map.of() : image.getConfig().getLabels();
        List<String> tags = image.getRepoTags() == null ? List.of() : image.getRepoTags();
        return Optional.of(new ImageInfo(image.getId(), tags, labels));
    }

    @Override
    public NetworkInfo createNetwork(NetworkSpec spec) {
        return call("create network " + spec.name(), () -> {
            CreateNetworkCmd cmd = client.createNetworkCmd()
                    .withName(spec.name())
                    .withDriver("bridge")
                    .withInternal(spec.internal())
                    .withCheckDuplicate(true)
                    .withLabels(spec.labels());
            spec.ipv6Subnet().ifPresent(subnet -> cmd.withEnableIpv6(true)
                    .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(subnet))));
            String id = cmd.exec().getId();
            return network(id).orElseThrow(() -> new EngineException("network " + spec.name()
                    + " vanished right after it was created", null));
        });
    }

    @Override
    public Optional<NetworkInfo> network(String nameOrId) {
        return call("inspect network " + nameOrId, () -> {
            try {
                Network n = client.inspectNetworkCmd().withNetworkId(nameOrId).exec();
                return Optional.of(new NetworkInfo(n.getId(), n.getName(), Boolean.TRUE.equals(n.getInternal()),
                        Boolean.TRUE.equals(n.getEnableIPv6())));
            } catch (NotFoundException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public void removeNetwork(String id) {
        call("remove network " + id, () -> {
            try {
                client.removeNetworkCmd(id).exec();
            } catch (NotFoundException e) {
                // already gone
            }
            return null;
        });
    }

    @Override
    public Optional<RunningContainer> runningContainer(String nameOrId) {
        return call("inspect container " + nameOrId, () -> {
            com.github.dockerjava.api.command.InspectContainerResponse c;
            try {
                c = client.inspectContainerCmd(nameOrId).exec();
            } catch (NotFoundException e) {
                return Optional.<RunningContainer>empty();
            }
            if (c.getState() == null || !Boolean.TRUE.equals(c.getState().getRunning())) {
                return Optional.<RunningContainer>empty();
            }
            Map<String, String> labels = c.getConfig() == null || c.getConfig().getLabels() == null ? Map.of()
                    : c.getConfig().getLabels();
            return Optional.of(new RunningContainer(c.getId(), c.getName().replaceFirst("^/", ""), c.getImageId(),
                    labels));
        });
    }

    @Override
    public List<RunningContainer> runningContainers(Map<String, String> labels) {
        return call("list containers", () -> client.listContainersCmd().withLabelFilter(labels).exec().stream()
                .map(c -> new RunningContainer(c.getId(), c.getNames() == null || c.getNames().length == 0 ? c.getId()
                        : c.getNames()[0].replaceFirst("^/", ""), c.getImageId(),
                        c.getLabels() == null ? Map.of() : c.getLabels()))
                .toList());
    }

    @Override
    public ContainerInfo start(ContainerSpec spec) {
        return call("start container " + spec.name(), () -> {
            List<Capability> caps = new ArrayList<>();
            for (String cap : spec.capAdd()) {
                try {
                    caps.add(Capability.valueOf(cap));
                } catch (IllegalArgumentException e) {
                    throw new EngineException("unknown capability " + cap, e);
                }
            }
            HostConfig host = HostConfig.newHostConfig()
                    .withNetworkMode(spec.network())
                    .withCapAdd(caps.toArray(Capability[]::new));
            if (!spec.sysctls().isEmpty()) {
                host.withSysctls(spec.sysctls());
            }
            CreateContainerCmd cmd = client.createContainerCmd(spec.image())
                    .withName(spec.name())
                    .withLabels(spec.labels())
                    .withHostConfig(host);
            if (spec.imageEntrypoint()) {
                if (!spec.command().isEmpty()) {
                    cmd.withCmd(spec.command());
                }
            } else {
                cmd.withEntrypoint(spec.command()).withCmd(List.of());
            }
            if (!spec.user().isEmpty()) {
                cmd.withUser(spec.user());
            }
            if (!spec.aliases().isEmpty()) {
                cmd.withAliases(spec.aliases());
            }
            CreateContainerResponse created = cmd.exec();
            try {
                client.startContainerCmd(created.getId()).exec();
                InspectContainerResponse inspected = client.inspectContainerCmd(created.getId()).exec();
                Map<String, ContainerNetwork> networks = inspected.getNetworkSettings().getNetworks();
                ContainerNetwork net = networks.get(spec.network());
                if (net == null && networks.size() == 1) {
                    net = networks.values().iterator().next();
                }
                Optional<String> ipv4 = Optional.ofNullable(net).map(ContainerNetwork::getIpAddress)
                        .filter(a -> !a.isBlank());
                Optional<String> ipv6 = Optional.ofNullable(net).map(ContainerNetwork::getGlobalIPv6Address)
                        .filter(a -> !a.isBlank());
                return new ContainerInfo(created.getId(), spec.name(), ipv4, ipv6);
            } catch (RuntimeException e) {
                removeQuietly(created.getId());
                throw e;
            }
        });
    }

    @Override
    public void stopContainer(String id) {
        call("stop container " + id, () -> {
            try {
                client.stopContainerCmd(id).withTimeout(2).exec();
            } catch (NotFoundException | com.github.dockerjava.api.exception.NotModifiedException e) {
                // gone, or not running
            }
            return null;
        });
    }

    @Override
    public void removeContainer(String id) {
        call("remove container " + id, () -> {
            try {
                client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException e) {
                // already gone
            } catch (DockerException e) {
                if (e.getHttpStatus() != 409) { // 409: removal already in progress
                    throw e;
                }
            }
            return null;
        });
    }

    /** The only PATH a root exec gets. */
    static final String ROOT_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    /** Whether an exec as {@code user} runs as root (an empty user is the image's, which may be root). */
    static boolean isRoot(String user) {
        return user.isEmpty() || user.equals("root") || user.equals("0") || user.startsWith("root:")
                || user.startsWith("0:");
    }

    /**
     * A root exec's command: through {@code env -i} with a fixed PATH, so nothing the image or the run put in the
     * container's environment (LD_PRELOAD, BASH_ENV, PATH...) reaches the command.
     */
    static List<String> command(String user, List<String> command) {
        if (!isRoot(user)) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("/usr/bin/env", "-i", "PATH=" + ROOT_PATH, "LC_ALL=C"));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * A root exec's environment: every variable of the container unset (an entry without {@code =} removes it)
     * and PATH fixed, so that not even {@code env} itself starts with the loader's variables.
     */
    private String[] environment(String containerId, String user) {
        if (!isRoot(user)) {
            return new String[0];
        }
        List<String> env = new ArrayList<>();
        String[] current = client.inspectContainerCmd(containerId).exec().getConfig().getEnv();
        for (String entry : current == null ? new String[0] : current) {
            int eq = entry.indexOf('=');
            env.add(eq < 0 ? entry : entry.substring(0, eq));
        }
        env.add("PATH=" + ROOT_PATH);
        return env.toArray(String[]::new);
    }

    @Override
    public ExecResult exec(String containerId, String user, List<String> command, Duration timeout) {
        return call("exec in " + containerId, () -> {
            ExecCreateCmdResponse created = client.execCreateCmd(containerId)
                    .withUser(user)
                    .withEnv(List.of(environment(containerId, user)))
                    .withCmd(command(user, command).toArray(String[]::new))
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .exec();
            OutputCollector output = new OutputCollector();
            client.execStartCmd(created.getId()).exec(output);
            boolean done;
            try {
                done = output.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("interrupted while waiting for a command", e);
            }
            if (!done) {
                closeQuietly(output);
                return new ExecResult(-1, output.text(), true);
            }
            return new ExecResult(exitCode(created.getId()), output.text(), false);
        });
    }

    @Override
    public java.util.Map<String, byte[]> readFiles(String containerId, String path, long maxBytes) {
        return call("copy " + path + " from " + containerId, () -> {
            try (java.io.InputStream tar = client.copyArchiveFromContainerCmd(containerId, path).exec()) {
                return TarReader.regularFiles(tar, maxBytes);
            } catch (NotFoundException e) {
                return java.util.Map.of();
            } catch (java.io.IOException e) {
                throw new EngineException("cannot read " + path + " from " + containerId + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void writeFiles(String containerId, String dir, java.util.Map<String, byte[]> files) {
        byte[] tar = BuildContext.tar(files);
        call("copy into " + dir + " in " + containerId, () -> {
            client.copyArchiveToContainerCmd(containerId).withRemotePath(dir).withNoOverwriteDirNonDir(true)
                    .withCopyUIDGID(false).withTarInputStream(new java.io.ByteArrayInputStream(tar)).exec();
            return null;
        });
    }

    @Override
    public void execDetached(String containerId, String user, List<String> command) {
        call("exec in " + containerId, () -> {
            ExecCreateCmdResponse created = client.execCreateCmd(containerId)
                    .withUser(user)
                    .withEnv(List.of(environment(containerId, user)))
                    .withCmd(command(user, command).toArray(String[]::new))
                    .exec();
            client.execStartCmd(created.getId()).withDetach(true).exec(new ResultCallback.Adapter<>());
            return null;
        });
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // nothing to do: the process is ending or the engine is gone
        }
    }

    /** The exit code; the stream can end a moment before the engine records the process as exited. */
    private int exitCode(String execId) {
        for (int i = 0; i < 50; i++) {
            InspectExecResponse inspected = client.inspectExecCmd(execId).exec();
            if (!Boolean.TRUE.equals(inspected.isRunning()) && inspected.getExitCodeLong() != null) {
                return inspected.getExitCodeLong().intValue();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return -1;
    }

    private void removeQuietly(String id) {
        try {
            client.removeContainerCmd(id).withForce(true).exec();
        } catch (RuntimeException e) {
            // best effort: the caller reports the original failure
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // best effort
        }
    }

    /** Runs an engine request, translating docker-java's failures into this package's. */
    private <T> T call(String operation, Supplier<T> request) {
        try {
            return request.get();
        } catch (EngineException | ClaudeDevcException e) {
            throw e;
        } catch (DockerException e) {
            throw new EngineException(operation + ": " + engineMessage(e), e);
        } catch (RuntimeException e) {
            throw transportFailure(operation, e);
        }
    }

    private ClaudeDevcException transportFailure(String operation, RuntimeException e) {
        return new ClaudeDevcException(ClaudeDevcException.Kind.DOCKER_UNAVAILABLE,
                "Docker engine at " + endpoint + " failed during " + operation + ": "
                        + DockerEngines.rootMessage(e), e);
    }

    /** The engine's own message from an error response ({@code Status 409: {"message":"…"}}). */
    static String engineMessage(DockerException e) {
        String raw = e.getMessage() == null ? "" : e.getMessage();
        Matcher m = ENGINE_MESSAGE.matcher(raw);
        String message = m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : raw;
        return BuildProgress.oneLine(message);
    }

    /** Collects an exec's stdout and stderr in arrival order, up to {@link #MAX_OUTPUT} bytes. */
    private static final class OutputCollector extends ResultCallback.Adapter<Frame> {

        private final StringBuilder text = new StringBuilder();
        private boolean truncated;

        @Override
        public synchronized void onNext(Frame frame) {
            byte[] payload = frame.getPayload();
            if (payload == null || truncated) {
                return;
            }
            text.append(new String(payload, StandardCharsets.UTF_8));
            if (text.length() > MAX_OUTPUT) {
                text.setLength(MAX_OUTPUT);
                text.append("\n[output truncated]\n");
                truncated = true;
            }
        }

        synchronized String text() {
            return text.toString();
        }
    }
}
