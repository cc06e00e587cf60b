package dev.claudedevc.cli;

import dev.claudedevc.descriptor.DescriptorReader;
import dev.claudedevc.descriptor.LoadedDescriptor;
import dev.claudedevc.generate.GeneratedTree;
import dev.claudedevc.generate.Generator;
import dev.claudedevc.validate.CheckedRender;
import java.nio.file.Path;

/** What most commands start from: the project's descriptor, read with the presets of the chosen templates. */
record Workspace(Path projectDir, Generator generator, LoadedDescriptor loaded) {

    static Workspace open(ProjectOptions options) {
        Generator generator = Generator.forTemplates(options.templatesDir());
        Path file = DescriptorReader.locate(options.projectDir(), options.descriptorFile());
        LoadedDescriptor loaded = new DescriptorReader(generator.presets()).read(file);
        return new Workspace(options.projectDir(), generator, loaded);
    }

    /** Renders the project's files, refusing a team template that opens the box ({@link CheckedRender}). */
    GeneratedTree render() {
        return CheckedRender.render(generator, loaded);
    }

    /** Where the rendered files go: the descriptor's {@code output} folder, relative to the descriptor. */
    Path outputDir() {
        return loaded.descriptor().output().in(loaded.projectDir());
    }
}
