package dev.claudedevc.verify;

import dev.claudedevc.model.DomainRule;
import dev.claudedevc.model.Ecosystem;
import dev.claudedevc.model.Endpoint;
import dev.claudedevc.model.NetworkPolicy;
import dev.claudedevc.model.Preset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The package registries {@code verify} proves reachable: for each preset of the policy that is an ecosystem's
 * registry ({@link Ecosystem#preset()}), its first exact host (the registry itself; mirrors and CDNs follow it in
 * the preset), on the entry's port, else 443 when the policy allows it, else its first port. The hosts come from
 * the presets only, so a test points them at a lab server by overriding a preset, never at a public address.
 */
public final class RegistryTargets {

    private RegistryTargets() {
    }

    /**
     * @param policy  the descriptor's policy
     * @param presets the presets it names, as resolved (a team's overrides included)
     */
    public static List<Endpoint> of(NetworkPolicy policy, List<Preset> presets) {
        Set<String> registries = Stream.of(Ecosystem.values()).map(Ecosystem::preset).collect(Collectors.toSet());
        int port = policy.ports().contains(443) ? 443 : policy.ports().get(0);
        List<Endpoint> targets = new ArrayList<>();
        for (Preset preset : presets) {
            if (!policy.presets().contains(preset.name()) || !registries.contains(preset.name())) {
                continue;
            }
            preset.entries().stream().map(Preset.Entry::rule).filter(r -> r.kind() == DomainRule.Kind.EXACT)
                    .findFirst()
                    .ifPresent(r -> targets.add(new Endpoint(r.value(), r.port().orElse(port))));
        }
        return targets;
    }
}
