package dev.claudedevc.docker;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A container to create and start.
 *
 * @param image      image reference or id
 * @param name       container name
 * @param network    the network it joins (by name or id)
 * @param aliases    its DNS names on that network
 * @param user       the user its main process runs as (empty: the image's)
 * @param command    the main process, replacing the image's entrypoint and command; with {@code imageEntrypoint},
 *                   the arguments of the image's entrypoint instead (empty: the image's CMD)
 * @param capAdd     Linux capabilities to add, e.g. {@code NET_ADMIN}
 * @param sysctls    namespaced sysctls, e.g. {@code net.ipv6.conf.all.disable_ipv6=1}
 * @param labels     labels, so leftovers can be found
 * @param imageEntrypoint whether the image's ENTRYPOINT runs (as at a real start), rather than {@code command}
 */
public record ContainerSpec(String image, String name, String network, List<String> aliases, String user,
        List<String> command, List<String> capAdd, Map<String, String> sysctls, Map<String, String> labels,
        boolean imageEntrypoint) {

    /** A container whose main process is {@code command}, replacing the image's entrypoint. */
    public ContainerSpec(String image, String name, String network, List<String> aliases, String user,
            List<String> command, List<String> capAdd, Map<String, String> sysctls, Map<String, String> labels) {
        this(image, name, network, aliases, user, command, capAdd, sysctls, labels, false);
    }

    public ContainerSpec {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(network, "network");
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(user, "user");
        command = List.copyOf(command);
        if (command.isEmpty() && !imageEntrypoint) {
            throw new IllegalArgumentException("command must not be empty when it replaces the entrypoint");
        }
        capAdd = List.copyOf(capAdd);
        sysctls = Map.copyOf(sysctls);
        labels = Map.copyOf(labels);
    }
}
