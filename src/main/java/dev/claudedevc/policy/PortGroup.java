package dev.claudedevc.policy;

import java.util.List;

/**
 * A set of ports and the distinct names and ranges reachable on exactly those ports: the unit the firewall
 * loads (one allow set per group and family). Each name or range appears once, represented by its first entry
 * in source order; {@link EffectivePolicy#allowed()} keeps every entry with its own provenance.
 *
 * @param id    the group's number, its index in {@link EffectivePolicy#groups()}
 * @param ports the ports, in the order the entries give them
 * @param names the names, sorted
 * @param nets  the ranges, sorted
 */
public record PortGroup(int id, List<Integer> ports, List<AllowEntry> names, List<AllowEntry> nets) {

    public PortGroup {
        ports = List.copyOf(ports);
        names = List.copyOf(names);
        nets = List.copyOf(nets);
    }

    /** {@code 443,80}. */
    public String portList() {
        return String.join(",", ports.stream().map(String::valueOf).toList());
    }
}
