package dev.claudedevc.cli;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.docker.DockerEngine;
import dev.claudedevc.docker.RunningContainer;
import dev.claudedevc.model.Endpoint;
import dev.claudedevc.docker.ImageInfo;
import dev.claudedevc.model.Descriptor;
import dev.claudedevc.verify.ProbeResult;
import dev.claudedevc.verify.Reports;
import dev.claudedevc.verify.RunConfig;
import dev.claudedevc.verify.Verifier;
import dev.claudedevc.verify.VerifyReport;
import dev.claudedevc.verify.VerifyRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code verify}: runs the built image as a dev container would, applies the firewall and probes it. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Runs the built image with its firewall and probes its egress.",
            "",
            "Starts the image with the capabilities and the post-start command (the firewall) that its "
                + "devcontainer.json names, on a throwaway network beside a sidecar of its own (TCP listeners on "
                + "22, 80, 443, 853, 8443 and a DNS server), then probes as the non-root user.",
            "",
            "Every network.verify.allow target must connect. Non-allowlisted names, direct IPv4/IPv6, "
                + "foreign DNS over UDP/TCP, Docker's DNS, port 853, an allowed host on another port and "
                + "SSH must be blocked. Sudo with arguments or environment, iptables/ipset and writing the "
                + "policy must be refused.",
            "",
            "Deny probes only target the sidecar (or allowed hosts), and each is first shown to get "
                + "through without the firewall. Prints a table (or --json); exits 9 if a probe fails, 11 "
                + "if there is no image. Containers and networks it creates are removed afterwards, also on "
                + "Ctrl-C."})
final class VerifyCommand implements Callable<Integer> {

    private static final Pattern NETWORK_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");

    @Spec
    CommandSpec spec;

    @ParentCommand
    ClaudeDevcCommand root;

    @Mixin
    ProjectOptions project;

    @Option(names = "--image", paramLabel = "IMAGE", description = "The image to verify (default: claude-devc/<name>:latest).")
    String image;

    @Option(names = "--internal",
            description = "Create an --internal network (no route out): hermetic, but must-allow targets on the "
                    + "internet then fail.")
    boolean internal;

    @Option(names = "--network", paramLabel = "NAME",
            description = "Join this existing network instead of creating one (e.g. one with local test servers "
                    + "as must-allow targets). It is neither created nor removed.")
    String network;

    @Option(names = "--container", paramLabel = "NAME", arity = "0..1", fallbackValue = "",
            description = "Verify the running dev container: its image (as --image would), and in the container "
                    + "itself the live status and the registries. Without NAME, the one the Dev Containers tools "
                    + "started for this project (found by its devcontainer.local_folder label).")
    String container;

    @Option(names = "--offline", description = "Do not prove that the detected package registries resolve and "
            + "connect through the firewall (they are probed by default).")
    boolean offline;

    @Mixin
    JsonOption json;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the results as JUnit XML to FILE.")
    Path junit;

    @Option(names = "--keep", description = "Leave the containers (and network) running for a look inside.")
    boolean keep;

    @Override
    public Integer call() {
        if (internal && network != null) {
            throw new ParameterException(spec.commandLine(), "--internal and --network exclude each other");
        }
        if (network != null && !NETWORK_NAME.matcher(network).matches()) {
            throw new ParameterException(spec.commandLine(), "--network: not a network name: " + network);
        }
        if (image != null && !Images.IMAGE_REFERENCE.matcher(image).matches()
                && !image.matches("(sha256:)?[0-9a-f]{12,64}")) {
            throw new ParameterException(spec.commandLine(), "--image: not an image reference: " + image);
        }
        Workspace workspace = Workspace.open(project);
        Descriptor descriptor = workspace.loaded().descriptor();
        if (image != null && container != null) {
            throw new ParameterException(spec.commandLine(), "--image and --container exclude each other");
        }
        if (container != null && !container.isEmpty() && !NETWORK_NAME.matcher(container).matches()) {
            throw new ParameterException(spec.commandLine(), "--container: not a container name: " + container);
        }
        RunConfig run = RunConfig.read(workspace.outputDir().resolve("devcontainer.json"));
        PrintWriter err = spec.commandLine().getErr();
        // An --internal network verify creates has no route out: no registry could answer there.
        List<Endpoint> registries = offline || internal ? List.of() : workspace.policy().registryTargets();
        if (internal && !offline && !workspace.policy().registryTargets().isEmpty()) {
            err.println("verify: --internal: the registries are not probed (no route out); --offline says so too");
        }

        VerifyReport report;
        try (DockerEngine engine = root.engines().connect()) {
            Optional<RunningContainer> live = container == null ? Optional.empty()
                    : Optional.of(DevContainers.find(engine, container, workspace));
            String imageRef = live.map(RunningContainer::imageId)
                    .orElse(image == null ? Images.defaultTag(descriptor) : image);
            live.ifPresent(c -> err.println("verify: the running dev container " + c.name() + ", image " + imageRef));
            warnIfStale(engine, imageRef, workspace.loaded().sha256(), err);
            report = new Verifier(engine, line -> err.println("verify: " + line)).run(new VerifyRequest(imageRef,
                    descriptor.name(), descriptor.user(), workspace.policy(), run, Optional.ofNullable(network),
                    internal, keep, registries, live.map(RunningContainer::id)));
        }
        if (junit != null) {
            Path file = project.projectDir().resolve(junit).normalize();
            try {
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                Files.writeString(file, Reports.junit(report), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, "cannot write " + Output.display(file)
                        + ": " + e.getMessage(), e);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            JsonOption.print(out, report.passed() ? "pass" : "fail", Reports.data(report));
        } else {
            out.print(Reports.table(report));
            out.flush();
        }
        if (!report.passed()) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.VERIFICATION_FAILED, report.failures().size()
                    + " probe(s) failed: " + report.failures().stream().map(ProbeResult::id)
                            .collect(Collectors.joining(", ")));
        }
        return ExitCodes.OK;
    }

    /** The image was built from another version of the descriptor: what is verified is not what is committed. */
    private static void warnIfStale(DockerEngine engine, String imageRef, String sha256, PrintWriter err) {
        Optional<ImageInfo> info = engine.image(imageRef);
        Optional<String> built = info.map(i -> i.labels().get(Images.LABEL_DESCRIPTOR));
        if (built.isPresent() && !built.get().equals(sha256)) {
            err.println("verify: warning: " + imageRef + " was built from another version of the descriptor "
                    + "(run claude-devc generate and build)");
        }
    }
}
