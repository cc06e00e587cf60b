package dev.claudedevc.model;

import java.util.Objects;

/**
 * An address range in canonical form (host bits zero, lower-case IPv6 without leading zeros).
 *
 * @param address the network address
 * @param prefix the prefix length
 * @param ipv6 whether this is an IPv6 range
 */
public record Cidr(String address, int prefix, boolean ipv6) {

    public Cidr {
        Objects.requireNonNull(address, "address");
        if (prefix < 0 || prefix > (ipv6 ? 128 : 32)) {
            throw new IllegalArgumentException("prefix out of range: " + prefix);
        }
    }

    @Override
    public String toString() {
        return address + "/" + prefix;
    }
}
