package dev.claudedevc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.claudedevc.descriptor.DescriptorReader;
import dev.claudedevc.descriptor.PresetCatalog;
import dev.claudedevc.model.Endpoint;
import dev.claudedevc.model.NetworkPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which registries verify proves reachable: the first host of each registry preset the policy names. */
class RegistryTargetsTest {

    private static NetworkPolicy policy(String yaml) {
        return new DescriptorReader(PresetCatalog.builtIn()).parse(yaml.getBytes(StandardCharsets.UTF_8),
                Path.of("claude-devc.yaml")).network();
    }

    @Test
    void eachRegistryPresetGivesItsRegistryOnTheHttpsPort() {
        NetworkPolicy p = policy("name: x\nnetwork:\n  presets: [anthropic, github, npm, pypi, maven, go, crates]\n");
        List<Endpoint> targets = RegistryTargets.of(p, PresetCatalog.builtIn().all());
        assertEquals(5, targets.size(), targets::toString);
        assertEquals(new Endpoint("registry.npmjs.org", 443), targets.stream()
                .filter(t -> t.host().contains("npmjs")).findFirst().orElseThrow());
        assertEquals(List.of(443), targets.stream().map(Endpoint::port).distinct().toList());
    }

    @Test
    void presetsThatAreNotRegistriesAndPresetsNotNamedGiveNone() {
        assertEquals(List.of(), RegistryTargets.of(policy("name: x\nnetwork:\n  presets: [anthropic, github]\n"),
                PresetCatalog.builtIn().all()));
        assertEquals(List.of(), RegistryTargets.of(policy("name: x\n"), PresetCatalog.builtIn().all()));
    }

    @Test
    void withoutPort443TheFirstAllowedPortIsUsed() {
        NetworkPolicy p = policy("name: x\nnetwork:\n  presets: [npm]\n  ports: [80]\n");
        assertEquals(List.of(new Endpoint("registry.npmjs.org", 80)), RegistryTargets.of(p,
                PresetCatalog.builtIn().all()));
    }
}
