package dev.claudedevc.docker;

import java.util.Objects;
import java.util.Optional;

/**
 * A started container and its addresses on the network it was started on.
 *
 * @param id   the container id
 * @param name its name
 * @param ipv4 its IPv4 address, if it has one
 * @param ipv6 its global IPv6 address, if the network is dual-stack
 */
public record ContainerInfo(String id, String name, Optional<String> ipv4, Optional<String> ipv6) {

    public ContainerInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ipv4, "ipv4");
        Objects.requireNonNull(ipv6, "ipv6");
    }
}
