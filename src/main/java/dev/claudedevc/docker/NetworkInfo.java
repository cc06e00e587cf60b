package dev.claudedevc.docker;

import java.util.Objects;

/**
 * A network as the engine describes it.
 *
 * @param id       the network id
 * @param name     its name
 * @param internal whether it has no route out
 * @param ipv6     whether containers on it get IPv6 addresses
 */
public record NetworkInfo(String id, String name, boolean internal, boolean ipv6) {

    public NetworkInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
