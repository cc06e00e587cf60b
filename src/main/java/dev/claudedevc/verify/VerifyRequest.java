package dev.claudedevc.verify;

import dev.claudedevc.model.NetworkPolicy;
import java.util.Objects;
import java.util.Optional;

/**
 * A verification run.
 *
 * @param image           the image to verify (reference or id)
 * @param project         the project name, for labels
 * @param user            the non-root user the agent runs as
 * @param policy          the descriptor's egress policy
 * @param run             how the dev container runs the image
 * @param existingNetwork a network to join instead of creating one (it is neither created nor removed)
 * @param internal        when creating a network: make it {@code --internal} (no route out; hermetic runs)
 * @param keep            leave the containers and network running afterwards, for a look inside
 */
public record VerifyRequest(String image, String project, String user, NetworkPolicy policy, RunConfig run,
        Optional<String> existingNetwork, boolean internal, boolean keep) {

    public VerifyRequest {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(existingNetwork, "existingNetwork");
    }
}
