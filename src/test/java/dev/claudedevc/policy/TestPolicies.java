package dev.claudedevc.policy;

import dev.claudedevc.descriptor.DescriptorReader;
import dev.claudedevc.descriptor.LoadedDescriptor;
import dev.claudedevc.descriptor.PresetCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/** Effective policies for tests: a descriptor's text, or a project folder, with the built-in presets. */
public final class TestPolicies {

    private TestPolicies() {
    }

    /** The descriptor text as if read from {@code claude-devc.yaml} in the working directory. */
    public static LoadedDescriptor loaded(String yaml) {
        return new DescriptorReader().load(yaml.getBytes(StandardCharsets.UTF_8),
                Path.of("claude-devc.yaml"));
    }

    public static EffectivePolicy of(String yaml) {
        return of(loaded(yaml));
    }

    public static EffectivePolicy of(LoadedDescriptor loaded) {
        return EffectivePolicy.of(loaded, PresetCatalog.builtIn());
    }

    /** The project folder's descriptor. */
    public static EffectivePolicy ofProject(Path projectDir) {
        return of(DescriptorReader.load(projectDir, Optional.empty()));
    }
}
