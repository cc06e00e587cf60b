package dev.claudedevc.cli;

import java.util.Optional;
import dev.claudedevc.generate.Generator;
import dev.claudedevc.descriptor.CaCertificates;
import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.validate.DockerfileCheck;
import dev.claudedevc.docker.BuildFailedException;
import dev.claudedevc.docker.BuildListener;
import dev.claudedevc.docker.BuildRequest;
import dev.claudedevc.docker.BuildStep;
import dev.claudedevc.docker.DockerEngine;
import dev.claudedevc.docker.EngineException;
import dev.claudedevc.docker.ImageInfo;
import dev.claudedevc.model.Descriptor;
import dev.claudedevc.model.Proxy;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code build}: builds the rendered {@code .devcontainer/} into a labelled image through the Docker API. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Builds the image of .devcontainer/ through the Docker API.",
            "",
            "Run generate first. Connects to DOCKER_HOST, else the Docker socket, else Podman's "
                + "socket, and never pulls. Tags the image claude-devc/<name>:latest unless -t is given, "
                + "and labels it with the project, the descriptor's SHA-256 and the claude-devc version. "
                + "The descriptor's proxy is passed as the HTTP(S)_PROXY and NO_PROXY build args. Progress "
                + "(one line per step) goes to stderr."})
final class BuildCommand implements Callable<Integer> {

    private static final Pattern ARG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final int STEP_WIDTH = 110;

    @Spec
    CommandSpec spec;

    @ParentCommand
    ClaudeDevcCommand root;

    @Mixin
    ProjectOptions project;

    @Option(names = "--no-cache", description = "Build every step anew.")
    boolean noCache;

    @Option(names = "--base-image", paramLabel = "IMAGE",
            description = "Build FROM this local image instead of the descriptor's (sets " + Images.BASE_IMAGE_ARG + ").")
    String baseImage;

    @Option(names = "--build-arg", paramLabel = "NAME=VALUE", description = "A Dockerfile ARG value (repeatable).")
    Map<String, String> buildArgs = new LinkedHashMap<>();

    @Option(names = {"-t", "--tag"}, paramLabel = "TAG", description = "The image tag (default: claude-devc/<name>:latest).")
    String tag;

    @Option(names = {"-q", "--quiet"}, description = "No progress; a failing step's output is still shown.")
    boolean quiet;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        String imageTag = tag == null ? null : checkedReference("-t", tag);
        Map<String, String> args = new TreeMap<>();
        buildArgs.forEach((name, value) -> {
            if (!ARG_NAME.matcher(name).matches()) {
                throw new ParameterException(spec.commandLine(), "--build-arg: not an ARG name: " + name);
            }
            args.put(name, value);
        });
        if (baseImage != null) {
            if (args.containsKey(Images.BASE_IMAGE_ARG)) {
                throw new ParameterException(spec.commandLine(),
                        "--base-image and --build-arg " + Images.BASE_IMAGE_ARG + " set the same thing; give one");
            }
            args.put(Images.BASE_IMAGE_ARG, checkedReference("--base-image", baseImage));
        }

        Workspace workspace = Workspace.open(project);
        Descriptor descriptor = workspace.loaded().descriptor();
        Path context = workspace.outputDir();
        if (!Files.isRegularFile(context.resolve("Dockerfile"))) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.NOT_READY, "no Dockerfile in "
                    + Output.display(context) + ": run claude-devc generate first");
        }
        checkLocalCertificates(context.resolve(Generator.LOCAL_CA_DIR));
        if (imageTag == null) {
            imageTag = Images.defaultTag(descriptor);
        }
        proxyArgs(descriptor).forEach(args::putIfAbsent);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Images.LABEL_PROJECT, descriptor.name());
        labels.put(Images.LABEL_DESCRIPTOR, workspace.loaded().sha256());
        labels.put(Images.LABEL_VERSION, Version.current());

        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        ImageInfo image;
        try (DockerEngine engine = root.engines().connect()) {
            if (!quiet) {
                err.println("build: " + imageTag + " from " + Output.display(context) + " on " + engine.endpoint()
                        + (args.containsKey(Images.BASE_IMAGE_ARG) ? " (base image " + args.get(Images.BASE_IMAGE_ARG) + ")" : ""));
            }
            // The classic builder would try a registry for a missing FROM image, with an error that hides the cause.
            for (String base : DockerfileCheck.baseImages(dockerfileText(context), args)) {
                if (engine.image(base).isEmpty()) {
                    throw new ClaudeDevcException(ClaudeDevcException.Kind.BUILD_FAILED, "base image " + base
                            + " is not present locally (build never pulls): pull it (docker pull " + base
                            + ") or set --base-image IMAGE or image: in the descriptor");
                }
            }
            image = engine.build(new BuildRequest(context, List.of(imageTag), labels, args, noCache),
                    quiet ? BuildListener.quiet() : step -> err.println("build: " + clip(step)));
        } catch (BuildFailedException e) {
            if (!e.lastLines().isEmpty()) {
                err.println("build: " + e.step().map(s -> "step " + s.number() + "/" + s.total()).orElse("the build")
                        + " failed; its last output:");
                e.lastLines().forEach(line -> err.println("  | " + line));
            }
            Optional<String> hint = tlsHint(e.getMessage(), e.lastLines());
            if (hint.isPresent()) {
                throw new ClaudeDevcException(ClaudeDevcException.Kind.BUILD_FAILED, e.getMessage() + "; "
                        + hint.get(), e);
            }
            throw e;
        } catch (EngineException e) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.BUILD_FAILED, "image build failed: "
                    + e.getMessage(), e);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("image", imageTag);
            result.put("id", image.id());
            result.put("tags", image.tags());
            result.put("labels", new TreeMap<>(image.labels()));
            result.put("millis", millis);
            JsonOption.print(out, "built", result);
        } else {
            out.println("built " + imageTag + " " + image.id());
        }
        return ExitCodes.OK;
    }

    /**
     * The descriptor's proxy as Docker's predefined proxy build args (both spellings: tools read one or the other),
     * so the image build's apt and curl go through it; they are not recorded in the image. {@code --build-arg}
     * overrides them.
     */
    static Map<String, String> proxyArgs(Descriptor descriptor) {
        return descriptor.proxy().map(Proxy::environment).orElse(Collections.emptySortedMap());
    }

    private static String dockerfileText(Path context) {
        try {
            return Files.readString(context.resolve("Dockerfile"));
        } catch (java.io.IOException e) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, "cannot read " + context.resolve("Dockerfile")
                    + ": " + e.getMessage(), e);
        }
    }

    private String checkedReference(String option, String reference) {
        if (!Images.IMAGE_REFERENCE.matcher(reference).matches() || reference.length() > 255) {
            throw new ParameterException(spec.commandLine(), option + ": not an image reference: " + reference);
        }
        return reference;
    }

    private static String clip(BuildStep step) {
        String line = step.toString().replaceAll("\\s+", " ");
        return line.length() <= STEP_WIDTH ? line : line.substring(0, STEP_WIDTH - 3) + "...";
    }

    /** What clients print when a TLS-inspecting proxy's CA is not trusted. */
    static final List<String> UNTRUSTED_CA = List.of("SELF_SIGNED_CERT_IN_CHAIN", "unable to get local issuer certificate",
            "PKIX path building failed", "self-signed certificate in certificate chain", "self signed certificate in"
                    + " certificate chain", "CERTIFICATE_VERIFY_FAILED", "server certificate verification failed",
            "UNABLE_TO_GET_ISSUER_CERT_LOCALLY");

    /** A hint when the build failed on a certificate no CA in the image vouches for. */
    static Optional<String> tlsHint(String message, List<String> lines) {
        String all = message + "\n" + String.join("\n", lines);
        for (String marker : UNTRUSTED_CA) {
            if (all.contains(marker)) {
                return Optional.of("the build met a TLS certificate it does not trust ('" + marker + "'): behind a"
                        + " TLS-inspecting proxy, add the proxy's CA certificate: for this machine only with"
                        + " claude-devc ca import FILE (git-ignored), or for everyone with caCertificates: in the"
                        + " descriptor; then claude-devc generate && claude-devc build");
            }
        }
        return Optional.empty();
    }

    /** This machine's CA folder holds only certificates: refused otherwise, before anything is built. */
    static void checkLocalCertificates(Path folder) {
        if (!Files.isDirectory(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.equals("README.md")) {
                    continue;
                }
                if (!name.endsWith(".crt")) {
                    throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_OUTPUT, file + ": only NAME.crt"
                            + " files belong in " + folder.getFileName() + "/ (add them with claude-devc ca import)");
                }
                try {
                    CaCertificates.reencode(file, file.toString());
                } catch (IllegalArgumentException e) {
                    throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_OUTPUT, e.getMessage()
                            + " (remove it, and add certificates with claude-devc ca import)");
                }
            }
        } catch (java.io.IOException e) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, "cannot list " + folder + ": "
                    + e.getMessage(), e);
        }
    }
}
