package dev.claudedevc.docker;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A user-defined bridge network to create.
 *
 * @param name       its name
 * @param internal   no route out of the host (Docker's {@code --internal})
 * @param ipv6Subnet an IPv6 subnet to make it dual-stack; the IPv4 subnet is always chosen by the engine
 * @param labels     labels, so leftovers can be found
 */
public record NetworkSpec(String name, boolean internal, Optional<String> ipv6Subnet, Map<String, String> labels) {

    public NetworkSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ipv6Subnet, "ipv6Subnet");
        labels = Map.copyOf(labels);
    }
}
