package dev.claudedevc.docker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A scripted {@link DockerEngine} for unit tests of command logic: images, running containers, files in them and
 * exec answers are set up front; every call is recorded in {@link #calls}. Anything not scripted fails the test
 * (an {@link AssertionError}), so a test shows exactly what the command asked of the engine.
 */
public final class FakeEngine implements DockerEngine {

    /** One scripted exec answer: for this user and a command starting with these words. */
    private record Answer(String container, String user, List<String> prefix, List<ExecResult> results) {
    }

    /** What the command asked of the engine, one line per call, e.g. {@code exec c1 root [status]}. */
    public final List<String> calls = new ArrayList<>();
    /** Files written with {@link #writeFiles}, by container, then by path in the container. */
    public final Map<String, Map<String, byte[]>> written = new LinkedHashMap<>();
    public final List<BuildRequest> builds = new ArrayList<>();
    private final Map<String, ImageInfo> images = new LinkedHashMap<>();
    private final List<RunningContainer> running = new ArrayList<>();
    private final Map<String, Map<String, byte[]>> readable = new LinkedHashMap<>();
    private final List<Answer> answers = new ArrayList<>();
    private Function<BuildRequest, ImageInfo> builder = r -> {
        throw new AssertionError("unscripted build of " + r.tags());
    };
    private Function<NetworkSpec, NetworkInfo> networks = s -> {
        throw new AssertionError("unscripted network " + s);
    };
    private boolean closed;

    /** An image known by its id and each of its tags. */
    public FakeEngine image(ImageInfo image) {
        images.put(image.id(), image);
        image.tags().forEach(t -> images.put(t, image));
        return this;
    }

    public FakeEngine running(RunningContainer container) {
        running.add(container);
        return this;
    }

    /** What {@link #readFiles} returns for this container and path. */
    public FakeEngine files(String container, String path, Map<String, byte[]> files) {
        readable.put(container + ":" + path, files);
        return this;
    }

    /**
     * Answers execs in {@code container} as {@code user} whose command starts with {@code prefix}: the results in
     * order, the last one again for every later call. Earlier scripts win over later ones.
     */
    public FakeEngine onExec(String container, String user, List<String> prefix, ExecResult... results) {
        answers.add(new Answer(container, user, List.copyOf(prefix), List.of(results)));
        return this;
    }

    public FakeEngine onBuild(Function<BuildRequest, ImageInfo> builder) {
        this.builder = builder;
        return this;
    }

    public FakeEngine onNetwork(Function<NetworkSpec, NetworkInfo> networks) {
        this.networks = networks;
        return this;
    }

    public static ExecResult ok(String output) {
        return new ExecResult(0, output, false);
    }

    public static ExecResult exit(int code, String output) {
        return new ExecResult(code, output, false);
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public String endpoint() {
        return "fake://engine";
    }

    @Override
    public ImageInfo build(BuildRequest request, BuildListener listener) {
        calls.add("build " + request.tags());
        builds.add(request);
        return builder.apply(request);
    }

    @Override
    public Optional<ImageInfo> image(String reference) {
        calls.add("image " + reference);
        return Optional.ofNullable(images.get(reference));
    }

    @Override
    public NetworkInfo createNetwork(NetworkSpec spec) {
        calls.add("network " + spec.name());
        return networks.apply(spec);
    }

    @Override
    public Optional<NetworkInfo> network(String nameOrId) {
        calls.add("network? " + nameOrId);
        return Optional.empty();
    }

    @Override
    public void removeNetwork(String id) {
        calls.add("remove network " + id);
    }

    @Override
    public ContainerInfo start(ContainerSpec spec) {
        throw new AssertionError("unscripted start of " + spec.name());
    }

    @Override
    public Optional<RunningContainer> runningContainer(String nameOrId) {
        calls.add("container " + nameOrId);
        return running.stream().filter(c -> c.id().equals(nameOrId) || c.name().equals(nameOrId)).findFirst();
    }

    @Override
    public List<RunningContainer> runningContainers(Map<String, String> labels) {
        calls.add("containers " + new java.util.TreeMap<>(labels));
        return running.stream().filter(c -> c.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    @Override
    public void stopContainer(String id) {
        calls.add("stop container " + id);
    }

    @Override
    public void removeContainer(String id) {
        calls.add("remove container " + id);
    }

    @Override
    public ExecResult exec(String containerId, String user, List<String> command, Duration timeout) {
        calls.add("exec " + containerId + " " + user + " " + command);
        for (int i = 0; i < answers.size(); i++) {
            Answer a = answers.get(i);
            if (a.container().equals(containerId) && a.user().equals(user) && command.size() >= a.prefix().size()
                    && command.subList(0, a.prefix().size()).equals(a.prefix())) {
                ExecResult result = a.results().get(0);
                if (a.results().size() > 1) {
                    answers.set(i, new Answer(a.container(), a.user(), a.prefix(),
                            a.results().subList(1, a.results().size())));
                }
                return result;
            }
        }
        throw new AssertionError("unscripted exec in " + containerId + " as " + user + ": " + command);
    }

    @Override
    public Map<String, byte[]> readFiles(String containerId, String path, long maxBytes) {
        calls.add("read " + containerId + " " + path);
        return readable.getOrDefault(containerId + ":" + path, Map.of());
    }

    @Override
    public void writeFiles(String containerId, String dir, Map<String, byte[]> files) {
        calls.add("write " + containerId + " " + dir + " " + new java.util.TreeSet<>(files.keySet()));
        Map<String, byte[]> into = written.computeIfAbsent(containerId, c -> new LinkedHashMap<>());
        files.forEach((path, content) -> into.put(dir + "/" + path, content));
    }

    @Override
    public void execDetached(String containerId, String user, List<String> command) {
        throw new AssertionError("unscripted detached exec in " + containerId + ": " + command);
    }

    @Override
    public void close() {
        closed = true;
    }
}
