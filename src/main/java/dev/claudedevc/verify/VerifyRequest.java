package dev.claudedevc.verify;

import dev.claudedevc.model.Endpoint;
import dev.claudedevc.policy.EffectivePolicy;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A verification run.
 *
 * @param image           the image to verify (reference or id)
 * @param project         the project name, for labels
 * @param user            the non-root user the agent runs as
 * @param policy          the project's effective policy
 * @param run             how the dev container runs the image
 * @param existingNetwork a network to join instead of creating one (it is neither created nor removed)
 * @param internal        when creating a network: make it {@code --internal} (no route out; hermetic runs)
 * @param keep            leave the containers and network running afterwards, for a look inside
 * @param registries      the package registries that must resolve and connect through the firewall (the
 *                        detected ecosystems' presets' hosts); empty offline
 * @param live            a running dev container in which the live status and the registries are checked too
 */
public record VerifyRequest(String image, String project, String user, EffectivePolicy policy, RunConfig run,
        Optional<String> existingNetwork, boolean internal, boolean keep, List<Endpoint> registries,
        Optional<String> live) {

    /** A run of the image alone, with no registry probes. */
    public VerifyRequest(String image, String project, String user, EffectivePolicy policy, RunConfig run,
            Optional<String> existingNetwork, boolean internal, boolean keep) {
        this(image, project, user, policy, run, existingNetwork, internal, keep, List.of(), Optional.empty());
    }

    public VerifyRequest {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(existingNetwork, "existingNetwork");
        registries = List.copyOf(registries);
        Objects.requireNonNull(live, "live");
    }
}
