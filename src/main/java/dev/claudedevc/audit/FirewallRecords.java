package dev.claudedevc.audit;

import dev.claudedevc.descriptor.Syntax;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the firewall recorded, parsed: queried names, names the policy refused, addresses answered for each name,
 * and rejected connections. Lines that do not parse, and names or addresses that are not valid, are skipped and
 * counted (a log is untrusted input).
 */
record FirewallRecords(
        Map<String, Integer> queried,
        Map<String, Integer> refused,
        Map<String, Set<String>> namesByAddress,
        List<Denied> denied,
        List<Denied> privateDenied,
        int skippedLines) {

    /** A rejected destination ({@code denied 203.0.113.9,tcp:22 packets=3}). */
    record Denied(String address, String protocol, int port, long packets) {
    }

    private static final Pattern EVENT = Pattern.compile("^\\S+\\s+\\d+\\s+[\\d:]+\\s+dnsmasq\\[\\d+\\]: (.*)$");
    private static final Pattern QUERY = Pattern.compile("query\\[[A-Z0-9]+\\] (\\S+) from \\S+");
    private static final Pattern REFUSED = Pattern.compile("config (\\S+) is NXDOMAIN");
    private static final Pattern REPLY = Pattern.compile("reply (\\S+) is ([0-9a-fA-F.:]+)");
    private static final Pattern DENIED = Pattern.compile(
            "(private-)?denied ([0-9a-fA-F.:]+),(tcp|udp|[a-z0-9]+):(\\d{1,5}) packets=(\\d{1,18})");

    static FirewallRecords parse(String dnsLog, String status) {
        Map<String, Integer> queried = new TreeMap<>();
        Map<String, Integer> refused = new TreeMap<>();
        Map<String, Set<String>> byAddress = new TreeMap<>();
        int skipped = 0;
        for (String line : dnsLog.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher event = EVENT.matcher(line);
            if (!event.matches()) {
                skipped++;
                continue;
            }
            String text = event.group(1);
            Matcher m;
            if ((m = QUERY.matcher(text)).matches()) {
                name(m.group(1)).ifPresent(n -> queried.merge(n, 1, Integer::sum));
            } else if ((m = REFUSED.matcher(text)).matches()) {
                name(m.group(1)).ifPresent(n -> refused.merge(n, 1, Integer::sum));
            } else if ((m = REPLY.matcher(text)).matches()) {
                String address = m.group(2);
                var name = name(m.group(1));
                address(address).ifPresent(a -> name.ifPresent(n ->
                        byAddress.computeIfAbsent(a, k -> new LinkedHashSet<>()).add(n)));
            }
        }
        List<Denied> denied = new ArrayList<>();
        List<Denied> privateDenied = new ArrayList<>();
        for (String line : status.split("\n")) {
            Matcher m = DENIED.matcher(line.strip());
            if (m.matches()) {
                int port = Integer.parseInt(m.group(4));
                var address = address(m.group(2));
                if (address.isPresent() && port >= 1 && port <= 65535) {
                    (m.group(1) == null ? denied : privateDenied)
                            .add(new Denied(address.get(), m.group(3), port, Long.parseLong(m.group(5))));
                } else {
                    skipped++;
                }
            }
        }
        return new FirewallRecords(queried, refused, byAddress, denied, privateDenied, skipped);
    }

    /** A valid, fully qualified host name (lower-cased), or nothing: reverse lookups and junk are dropped. */
    static java.util.Optional<String> name(String text) {
        String name = text.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.endsWith(".arpa")) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Syntax.hostName(name));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    static java.util.Optional<String> address(String text) {
        try {
            return java.util.Optional.of(text.indexOf(':') >= 0 ? Syntax.ipv6(text) : Syntax.ipv4(text));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /** Names (at least one) that were answered with this address, in the order seen. */
    List<String> namesFor(String address) {
        return List.copyOf(namesByAddress.getOrDefault(address, new LinkedHashSet<>()));
    }

    static Map<String, Integer> sortedByHits(Map<String, Integer> hits) {
        Map<String, Integer> out = new LinkedHashMap<>();
        hits.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
