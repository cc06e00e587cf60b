package dev.claudedevc.validate;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.descriptor.LoadedDescriptor;
import dev.claudedevc.generate.GeneratedTree;
import dev.claudedevc.generate.Generator;
import dev.claudedevc.generate.WorkspaceMounts;
import dev.claudedevc.model.Forwarding;
import dev.claudedevc.policy.EffectivePolicy;
import java.util.List;

/** Rendering as every command that writes or pushes files does it: refusing a team template that opens the box. */
public final class CheckedRender {

    private CheckedRender() {
    }

    /**
     * Renders, then runs the boundary check on the rendered devcontainer.json: a team's template that adds
     * --privileged, a Docker socket or its own initializeCommand fails here (exit 6), before anything is written.
     */
    public static GeneratedTree render(Generator generator, LoadedDescriptor loaded, EffectivePolicy policy) {
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
    public static BoundaryCheck.Expected expected(Generator generator, LoadedDescriptor loaded) {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        String output = loaded.descriptor().output().path();
        return new BoundaryCheck.Expected(output,
                json.valueToTree(WorkspaceMounts.initializeCommand(output)),
                WorkspaceMounts.of(generator.protectedPaths(loaded), output),
                Forwarding.remoteEnv(loaded.descriptor().workspace().forwardGitCredentials()));
    }
}
