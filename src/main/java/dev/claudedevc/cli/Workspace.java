package dev.claudedevc.cli;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.descriptor.DescriptorReader;
import dev.claudedevc.descriptor.LoadedDescriptor;
import dev.claudedevc.generate.GeneratedTree;
import dev.claudedevc.generate.Generator;
import dev.claudedevc.generate.WorkspaceMounts;
import dev.claudedevc.assets.Assets;
import dev.claudedevc.descriptor.PresetCatalog;
import dev.claudedevc.policy.EffectivePolicy;
import dev.claudedevc.validate.BoundaryCheck;
import dev.claudedevc.validate.DevcontainerCheck;
import java.util.List;
import java.nio.file.Path;

/**
 * What most commands start from: the project's descriptor and its effective policy, both read with the presets
 * of the chosen templates (loaded once, here).
 */
record Workspace(Path projectDir, Generator generator, LoadedDescriptor loaded, EffectivePolicy policy) {

    static Workspace open(ProjectOptions options) {
        Assets assets = Assets.withOverrides(options.templatesDir());
        PresetCatalog presets = PresetCatalog.from(assets);
        Path file = DescriptorReader.locate(options.projectDir(), options.descriptorFile());
        LoadedDescriptor loaded = new DescriptorReader(presets).read(file);
        return new Workspace(options.projectDir(), new Generator(assets), loaded, EffectivePolicy.of(loaded, presets));
    }

    /** Renders the project's files, refusing a team template that opens the box (see {@link #render(Generator, LoadedDescriptor, EffectivePolicy)}). */
    GeneratedTree render() {
        return render(generator, loaded, policy);
    }

    /**
     * Renders, then runs the boundary check on the rendered devcontainer.json: a team's template that adds
     * --privileged, a Docker socket or its own initializeCommand fails here (exit 6), before anything is written.
     */
    static GeneratedTree render(Generator generator, LoadedDescriptor loaded, EffectivePolicy policy) {
        GeneratedTree tree = generator.generate(loaded, policy);
        String name = "devcontainer.json";
        List<String> problems = BoundaryCheck.check(
                DevcontainerCheck.parse(tree.get(name).orElseThrow().text(), name + " (rendered)"),
                expected(generator, loaded));
        if (!problems.isEmpty()) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_OUTPUT, "the rendered " + name
                    + " opens the container's boundary: " + String.join("; ", problems));
        }
        return tree;
    }

    /** What the boundary check accepts exactly for this project. */
    static BoundaryCheck.Expected expected(Generator generator, LoadedDescriptor loaded) {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        String output = loaded.descriptor().output().path();
        return new BoundaryCheck.Expected(output,
                json.valueToTree(WorkspaceMounts.initializeCommand(output)),
                WorkspaceMounts.of(Generator.protectedPaths(loaded), output),
                dev.claudedevc.model.Forwarding.remoteEnv(loaded.descriptor().workspace().forwardGitCredentials()));
    }

        /** Where the rendered files go: the descriptor's {@code output} folder, relative to the descriptor. */
    Path outputDir() {
        return loaded.descriptor().output().in(loaded.projectDir());
    }
}
