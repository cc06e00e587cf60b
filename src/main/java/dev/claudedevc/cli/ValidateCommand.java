package dev.claudedevc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.generate.Drift;
import dev.claudedevc.generate.GeneratedTree;
import dev.claudedevc.generate.Generator;
import dev.claudedevc.docker.DockerEngine;
import dev.claudedevc.docker.ImageInfo;
import dev.claudedevc.validate.BoundaryCheck;
import dev.claudedevc.validate.CheckedRender;
import dev.claudedevc.validate.DevcontainerCheck;
import dev.claudedevc.validate.MergedConfiguration;
import dev.claudedevc.validate.DockerfileCheck;
import dev.claudedevc.validate.CompiledPolicyCheck;
import dev.claudedevc.model.ImageLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code validate}: the descriptor, and the rendered devcontainer.json and firewall policy. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks the descriptor, devcontainer.json and the firewall policy.",
            "",
            "Reads the files in .devcontainer/ when they exist, else what the descriptor renders. "
                + "With --schema, devcontainer.json is also validated against that JSON schema (e.g. the "
                + "official devContainer.base.schema.json)."})
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    ClaudeDevcCommand root;

    @Mixin
    ProjectOptions project;

    @Option(names = "--schema", paramLabel = "FILE|URL",
            description = "A Dev Container JSON schema to validate devcontainer.json against.")
    String schema;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Also merge this local image's "
            + "devcontainer.metadata label (e.g. the image the Dev Containers CLI built) with devcontainer.json, as "
            + "the Dev Containers tools do at every start, and check the result.")
    String image;

    @Mixin
    JsonOption json;

    /** One check and its outcome. */
    record Check(String name, String source, List<String> problems) {
    }

    @Override
    public Integer call() {
        Workspace workspace = Workspace.open(project);
        GeneratedTree tree = workspace.generator().generate(workspace.loaded(), workspace.policy());
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("descriptor", Output.display(workspace.loaded().file()), List.of()));

        Source devcontainer = source(workspace, tree, "devcontainer.json");
        JsonNode parsed = DevcontainerCheck.parse(devcontainer.text(), devcontainer.origin());
        checks.add(new Check("devcontainer.json structure", devcontainer.origin(),
                DevcontainerCheck.structure(parsed)));
        checks.add(new Check("devcontainer.json environment", devcontainer.origin(),
                DevcontainerCheck.environment(devcontainer.text()).stream()
                        .map(p -> devcontainer.origin() + ":" + p).toList()));
        checks.add(new Check("devcontainer.json boundary", devcontainer.origin(),
                BoundaryCheck.check(parsed, CheckedRender.expected(workspace.generator(), workspace.loaded()))));
        Source dockerfile = source(workspace, tree, "Dockerfile");
        checks.add(new Check("Dockerfile structure", dockerfile.origin(), DockerfileCheck.structure(dockerfile.text())));
        if (schema != null) {
            checks.add(new Check("devcontainer.json schema", devcontainer.origin() + " against " + schema,
                    DevcontainerCheck.schema(parsed, schema)));
        }
        List<String> mergedWarnings = new ArrayList<>();
        checks.add(merged(devcontainer, parsed, dockerfile, mergedWarnings));
        checks.add(compiledPolicy(workspace, tree));

        List<String> warnings = new ArrayList<>(mergedWarnings);
        warnings.addAll(workspace.generator().protectedPaths(workspace.loaded()).warnings());
        if (Files.isDirectory(workspace.outputDir())) {
            Drift.check(workspace.outputDir(), tree).forEach(d -> warnings.add(d.path()
                    + " differs from what the descriptor renders (run claude-devc generate)"));
        }
        print(checks, warnings);
        long failed = checks.stream().filter(c -> !c.problems().isEmpty()).count();
        if (failed > 0) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_OUTPUT, failed + " check(s) failed");
        }
        return ExitCodes.OK;
    }

    private record Source(String text, String origin) {
    }

    /**
     * The merged configuration: devcontainer.json with the image's devcontainer.metadata label, read from the
     * image ({@code --image}), else what the Dockerfile leaves of the base image's label (nothing, when it resets
     * it). High findings fail the check, medium ones are warnings.
     */
    private Check merged(Source devcontainer, JsonNode parsed, Source dockerfile, List<String> warnings) {
        Optional<String> label;
        String origin;
        if (image != null) {
            try (DockerEngine engine = root.engines().connect()) {
                ImageInfo info = engine.image(image).orElseThrow(() -> new ClaudeDevcException(
                        ClaudeDevcException.Kind.NOT_READY, "validate --image: no local image " + image));
                label = Optional.ofNullable(info.labels().get(MergedConfiguration.LABEL));
            }
            origin = devcontainer.origin() + " + " + image + " label";
        } else {
            boolean reset = MergedConfiguration.resetsLabel(dockerfile.text());
            label = Optional.of("[]");
            origin = devcontainer.origin() + " + " + dockerfile.origin() + " label";
            if (!reset) {
                return new Check("merged configuration", origin, List.of("high: " + dockerfile.origin()
                        + ": the last stage does not reset the devcontainer.metadata label (LABEL "
                        + "devcontainer.metadata=\"[]\"): the base image's capabilities, security options, mounts "
                        + "and commands would be merged in at every start"));
            }
        }
        List<String> problems = new ArrayList<>();
        for (MergedConfiguration.Finding f : MergedConfiguration.check(label, parsed)) {
            if (f.severity() == MergedConfiguration.Severity.HIGH) {
                problems.add(f.toString());
            } else {
                warnings.add(f.toString());
            }
        }
        return new Check("merged configuration", origin, problems);
    }

    /** The compiled firewall policy on disk against what the descriptor compiles to (the same compiler). */
    private static Check compiledPolicy(Workspace workspace, GeneratedTree tree) {
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, CompiledPolicyCheck.Found> found = new LinkedHashMap<>();
        for (ImageLayout.PlacedFile file : ImageLayout.COMPILED_POLICY) {
            expected.put(file.name(), tree.get(file.name()).orElseThrow().text());
            Path onDisk = workspace.outputDir().resolve(file.name());
            try {
                // Not rendered yet: the rendered files stand in; a rendered folder must hold every one.
                if (Files.isRegularFile(onDisk)) {
                    found.put(file.name(), CompiledPolicyCheck.Found.inCheckout(Files.readAllBytes(onDisk)));
                } else if (!Files.isDirectory(workspace.outputDir())) {
                    found.put(file.name(), CompiledPolicyCheck.Found.inCheckout(
                            tree.get(file.name()).orElseThrow().content()));
                }
            } catch (IOException e) {
                throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, "cannot read " + onDisk + ": "
                        + e.getMessage(), e);
            }
        }
        List<String> problems = new ArrayList<>(CompiledPolicyCheck.check(expected, found));
        if (workspace.policy().allowsNothing()) {
            problems.add("nothing is allowed: the container will have no egress at all (add a preset or domain)");
        }
        return new Check("firewall policy", Output.display(workspace.outputDir()), problems);
    }

    private static Source source(Workspace workspace, GeneratedTree tree, String name) {
        Path onDisk = workspace.outputDir().resolve(name);
        if (Files.isRegularFile(onDisk)) {
            try {
                return new Source(Files.readString(onDisk, StandardCharsets.UTF_8), Output.display(onDisk));
            } catch (IOException e) {
                throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, "cannot read " + onDisk + ": "
                        + e.getMessage(), e);
            }
        }
        return new Source(tree.get(name).orElseThrow().text(), name + " (rendered, not on disk)");
    }

    private void print(List<Check> checks, List<String> warnings) {
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("checks", checks.stream().map(c -> Map.of("name", c.name(), "source", c.name(),
                    "ok", c.problems().isEmpty(), "problems", c.problems())).toList());
            result.put("warnings", warnings);
            JsonOption.print(out, checks.stream().allMatch(c -> c.problems().isEmpty()) ? "valid"
                    : "invalid", result);
            return;
        }
        for (Check check : checks) {
            out.printf("%-4s %s (%s)%n", check.problems().isEmpty() ? "ok" : "FAIL", check.name(), check.name());
            check.problems().forEach(p -> out.println("     - " + p));
        }
        warnings.forEach(w -> spec.commandLine().getErr().println("warning: " + w));
    }
}
