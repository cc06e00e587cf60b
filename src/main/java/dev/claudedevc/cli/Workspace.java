package dev.claudedevc.cli;

import dev.claudedevc.assets.Assets;
import dev.claudedevc.descriptor.DescriptorReader;
import dev.claudedevc.descriptor.LoadedDescriptor;
import dev.claudedevc.generate.GeneratedTree;
import dev.claudedevc.descriptor.PresetCatalog;
import dev.claudedevc.generate.Generator;
import dev.claudedevc.policy.EffectivePolicy;
import dev.claudedevc.validate.CheckedRender;
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
        LoadedDescriptor loaded = new DescriptorReader().read(file);
        return new Workspace(options.projectDir(), new Generator(assets), loaded, EffectivePolicy.of(loaded, presets));
    }

    /** Renders the project's files, refusing a team template that opens the box ({@link CheckedRender}). */
    GeneratedTree render() {
        return CheckedRender.render(generator, loaded, policy);
    }

    /** Where the rendered files go: the descriptor's {@code output} folder, relative to the descriptor. */
    Path outputDir() {
        return loaded.descriptor().output().in(loaded.projectDir());
    }
}
