package dev.claudedevc.generate;

import dev.claudedevc.model.Endpoint;
import dev.claudedevc.model.NetworkPolicy;
import dev.claudedevc.policy.AllowEntry;
import dev.claudedevc.policy.EffectivePolicy;
import dev.claudedevc.policy.PortGroup;
import dev.claudedevc.model.ImageLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compiles the firewall policy into the load-ready files the in-container script loads at every start
 * ({@code firewall/README.md}, "Compiled policy"): the ipset restore text of every set, the filter table of each
 * family for {@code iptables-restore}/{@code ip6tables-restore}, dnsmasq's configuration, and the header
 * ({@code policy.conf}) with the counts, the self-test targets and the SHA-256 of each of the others.
 *
 * <p>The few facts only the running container knows are slots the script fills in one pass:
 * {@value #UPSTREAM} (a line per upstream resolver of the file's family, except Docker's 127.0.0.11),
 * {@value #GATEWAY} (a line per default gateway and {@code host.docker.internal} of the family),
 * {@value #SUBNET} (a line per subnet of the container's own interfaces), {@value #ANSWER_LIFETIME},
 * {@value #DNS_GROUP}; a line starting with {@value #IF_DOCKER_DNS} is kept only when Docker's embedded resolver
 * is an upstream, one starting with {@value #IF_LO6} only when loopback has {@code ::1}.
 *
 * <p>The input is {@link Input}, made from the {@link EffectivePolicy} in {@link Input#of}: the one place to
 * change when the policy model changes. Output is deterministic: the same input gives the same bytes.
 */
public final class FirewallCompiler {

    public static final String UPSTREAM = "@UPSTREAM@";
    public static final String GATEWAY = "@GATEWAY@";
    public static final String SUBNET = "@SUBNET@";
    public static final String ANSWER_LIFETIME = "@ANSWER_LIFETIME@";
    public static final String DNS_GROUP = "@DNS_GROUP@";
    public static final String IF_DOCKER_DNS = "@DOCKER_DNS@";
    public static final String IF_LO6 = "@LO6@";

    /** The header's format version (the script refuses any other). */
    public static final int VERSION = 2;

    static final String ALLOWED_MARK = "0x1/0x1";
    static final String DOCKER_DNS = "127.0.0.11";
    static final List<String> PRIVATE4 = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4",
            "240.0.0.0/4");
    static final List<String> PRIVATE6 = List.of("::/127", "::/96", "::ffff:0:0/96", "64:ff9b::/96",
            "64:ff9b:1::/48", "100::/64", "2001::/32", "2002::/16", "fc00::/7", "fec0::/10", "fe80::/10", "ff00::/8");

    /**
     * What the compiler needs, each entry with where it came from.
     *
     * @param project        the descriptor's name (a comment)
     * @param audit          audit mode (allow all, record what enforce would deny)
     * @param ipv6Filter     IPv6 filtered like IPv4 (else blocked)
     * @param groups         port lists, a group's index is its id
     * @param names          allowed names
     * @param nets           allowed ranges
     * @param denied         names answered NXDOMAIN, with their subdomains
     * @param deniedOrigins  where each denied name came from
     * @param privateAnswers internal ranges DNS answers may open
     * @param hostPorts      ports on the gateway
     * @param verifyAllow    self-test targets that must connect
     * @param verifyDeny     self-test targets that must not
     * @param remarks        comment lines for the header
     */
    public record Input(String project, boolean audit, boolean ipv6Filter, List<String> groups, List<Name> names,
            List<Net> nets, List<String> denied, Map<String, String> deniedOrigins, List<String> privateAnswers,
            List<Integer> hostPorts, List<Endpoint> verifyAllow, List<Endpoint> verifyDeny, List<String> remarks) {

        /**
         * From the effective policy: its port groups, each entry with the provenance of every source that named it
         * ({@code preset npm: registry.npmjs.org}, {@code claude-devc.yaml:14:7}). The one place that knows the
         * policy model's shape.
         */
        public static Input of(String project, EffectivePolicy p) {
            Map<String, Set<String>> origins = new TreeMap<>();
            for (AllowEntry e : p.allowed()) {
                origins.computeIfAbsent(e.match() + " " + e.value() + " " + e.portList(), k -> new LinkedHashSet<>())
                        .add(e.provenance().label());
            }
            java.util.function.Function<AllowEntry, String> origin = e -> String.join("; ",
                    origins.get(e.match() + " " + e.value() + " " + e.portList()));
            List<Name> names = new ArrayList<>();
            List<Net> nets = new ArrayList<>();
            for (PortGroup g : p.groups()) {
                g.names().forEach(e -> names.add(new Name(g.id(), e.match() == AllowEntry.Match.SUBDOMAINS, e.value(),
                        origin.apply(e))));
                g.nets().forEach(e -> nets.add(new Net(g.id(), e.value(), origin.apply(e))));
            }
            Map<String, String> deniedOrigins = new TreeMap<>();
            p.denied().forEach(d -> deniedOrigins.putIfAbsent(d.host(), d.provenance().label()));
            List<String> remarks = p.mcpServers().stream().filter(s -> !s.isRemote())
                    .map(s -> ".mcp.json server " + s.name() + " (stdio) runs inside the box: its traffic goes"
                            + " through this firewall").toList();
            return new Input(project, p.mode() == NetworkPolicy.Mode.AUDIT, p.ipv6() == NetworkPolicy.Ipv6Mode.FILTER,
                    p.groups().stream().map(PortGroup::portList).toList(), names, nets, p.deniedNames(),
                    deniedOrigins, p.privateRanges(), p.hostPorts(), p.verifyAllow(), p.verifyDeny(), remarks);
        }
    }

    /** An allowed name: {@code subdomains} for {@code *.host} (strictly below it). */
    public record Name(int group, boolean subdomains, String host, String origin) {
    }

    /** An allowed range (an IP literal is a /32 or /128). */
    public record Net(int group, String cidr, String origin) {
    }

    private FirewallCompiler() {
    }

    /** The compiled files, by their name in the output folder ({@link ImageLayout#COMPILED_POLICY}). */
    public static Map<String, String> compile(Input in) {
        List<String> notes = new ArrayList<>();
        Map<String, String> files = new LinkedHashMap<>();
        files.put(ImageLayout.IPSETS.name(), ipsets(in));
        files.put(ImageLayout.FILTER4.name(), filter(in, 4));
        files.put(ImageLayout.FILTER6.name(), filter(in, 6));
        files.put(ImageLayout.DNSMASQ.name(), dnsmasq(in, notes));
        Map<String, String> out = new LinkedHashMap<>();
        out.put(ImageLayout.POLICY_HEADER.name(), header(in, files, notes));
        out.putAll(files);
        return out;
    }

    private static String end(ImageLayout.PlacedFile file) {
        return "# end of " + file.fileName() + "\n";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Header
    // ---------------------------------------------------------------------------------------------------------

    private static String header(Input in, Map<String, String> files, List<String> notes) {
        StringBuilder b = new StringBuilder();
        b.append("# claude-devc firewall policy for ").append(in.project()).append("; generated, do not edit by hand.\n");
        b.append("# Change claude-devc.yaml and run `claude-devc generate`. Format: firewall/README.md.\n");
        b.append("# What it allows (name or range:TCP ports, then where it came from), and what it denies:\n");
        for (Name n : in.names()) {
            b.append("#   allow ").append(n.subdomains() ? "*." : "").append(n.host()).append(':')
                    .append(in.groups().get(n.group())).append("  ").append(n.origin()).append('\n');
        }
        for (Net n : in.nets()) {
            b.append("#   allow ").append(n.cidr()).append(':').append(in.groups().get(n.group())).append("  ")
                    .append(n.origin()).append('\n');
        }
        for (String d : in.denied()) {
            b.append("#   deny ").append(d).append("  ").append(in.deniedOrigins().getOrDefault(d, "")).append('\n');
        }
        for (String remark : in.remarks()) {
            b.append("# ").append(remark).append('\n');
        }
        b.append("version ").append(VERSION).append('\n');
        b.append("mode ").append(in.audit() ? "audit" : "enforce").append('\n');
        b.append("ipv6 ").append(in.ipv6Filter() ? "filter" : "block").append('\n');
        b.append("count groups ").append(in.groups().size()).append('\n');
        b.append("count allowed_names ").append(in.names().size()).append('\n');
        b.append("count allowed_nets ").append(in.nets().size()).append('\n');
        b.append("count denied_names ").append(in.denied().size()).append('\n');
        for (int port : in.hostPorts()) {
            b.append("host-port ").append(port).append('\n');
        }
        b.append("sets");
        for (String set : setNames(in)) {
            b.append(' ').append(set);
        }
        b.append('\n');
        for (Endpoint e : in.verifyAllow()) {
            b.append("verify-allow ").append(e.host()).append(' ').append(e.port()).append('\n');
        }
        for (Endpoint e : in.verifyDeny()) {
            b.append("verify-deny ").append(e.host()).append(' ').append(e.port()).append('\n');
        }
        for (String note : notes) {
            b.append("note ").append(note).append('\n');
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            String name = ImageLayout.compiledByName(file.getKey()).fileName();
            b.append("file ").append(name).append(' ')
                    .append(Manifest.sha256(file.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .append('\n');
        }
        return b.toString();
    }

    /**
     * The sets apply creates (status checks each): answers and static ranges per group, the private ranges, the
     * private-answer ranges, and the exempt list (a list:set of every static set and the private-answer set).
     */
    static List<String> setNames(Input in) {
        List<String> sets = new ArrayList<>();
        for (int g = 0; g < in.groups().size(); g++) {
            for (int fam : families(in)) {
                sets.add("cdv-g" + g + "-" + fam);
                sets.add("cdv-s" + g + "-" + fam);
            }
        }
        for (int fam : families(in)) {
            sets.add("cdv-private-" + fam);
            sets.add("cdv-exempt-" + fam);
        }
        for (int fam : families(in)) {
            sets.add("cdv-pans-" + fam);
        }
        return sets;
    }

    private static List<Integer> families(Input in) {
        return in.ipv6Filter() ? List.of(4, 6) : List.of(4);
    }

    private static boolean family(int fam, String cidr) {
        return (fam == 6) == cidr.contains(":");
    }

    // ---------------------------------------------------------------------------------------------------------
    // ipsets (one `ipset restore`): denied-connection sets kept across runs; the others made anew, static ones
    // filled as temporary sets and swapped in.
    // ---------------------------------------------------------------------------------------------------------

    private static String ipsets(Input in) {
        StringBuilder b = new StringBuilder();
        b.append("# claude-devc ipsets for ").append(in.project())
                .append(": `ipset restore` input (the script puts a destroy line for each old set first)\n");
        for (String denied : List.of("cdv-denied", "cdv-privdenied")) {
            b.append("create ").append(denied).append("-4 hash:ip,port family inet counters maxelem 65536 -exist\n");
            b.append("create ").append(denied).append("-6 hash:ip,port family inet6 counters maxelem 65536 -exist\n");
        }
        for (int fam : families(in)) {
            String inet = fam == 6 ? "inet6" : "inet";
            String priv = "cdv-private-" + fam;
            String pans = "cdv-pans-" + fam;
            for (String set : List.of(priv, pans)) {
                b.append("create ").append(set).append(" hash:net family ").append(inet).append(" maxelem 65536 -exist\n");
                b.append("create cdv-t-").append(set).append(" hash:net family ").append(inet).append(" maxelem 65536\n");
            }
            b.append("# internal ranges no DNS answer may open (DNS rebinding), and the container's own subnets\n");
            for (String cidr : fam == 6 ? PRIVATE6 : PRIVATE4) {
                b.append("add cdv-t-").append(priv).append(' ').append(cidr).append(" -exist\n");
            }
            b.append("add cdv-t-").append(priv).append(' ').append(SUBNET).append(" -exist\n");
            b.append("# network.privateAnswers: internal ranges DNS answers may open\n");
            for (String cidr : in.privateAnswers()) {
                if (family(fam, cidr)) {
                    b.append("add cdv-t-").append(pans).append(' ').append(cidr).append(" -exist\n");
                }
            }
            for (String set : List.of(priv, pans)) {
                b.append("swap cdv-t-").append(set).append(' ').append(set).append('\n');
                b.append("destroy cdv-t-").append(set).append('\n');
            }
        }
        for (int g = 0; g < in.groups().size(); g++) {
            for (int fam : families(in)) {
                String inet = fam == 6 ? "inet6" : "inet";
                String s = "cdv-s" + g + "-" + fam;
                b.append("# group ").append(g).append(" (ports ").append(in.groups().get(g)).append("), IPv")
                        .append(fam).append(": DNS answers, each for the answer lifetime; static ranges\n");
                b.append("create cdv-g").append(g).append('-').append(fam).append(" hash:net family ").append(inet)
                        .append(" timeout ").append(ANSWER_LIFETIME).append(" maxelem 262144 -exist\n");
                b.append("create ").append(s).append(" hash:net family ").append(inet).append(" maxelem 65536 -exist\n");
                int g0 = g;
                long ranges = in.nets().stream().filter(n -> n.group() == g0 && family(fam, n.cidr())).count();
                b.append("create cdv-t-").append(s).append(" hash:net family ").append(inet)
                        .append(hashSize(ranges)).append(" maxelem 65536\n");
                String lastOrigin = null;
                for (Net net : in.nets()) {
                    if (net.group() == g && family(fam, net.cidr())) {
                        if (!net.origin().equals(lastOrigin)) {
                            b.append("# ").append(net.origin()).append('\n');
                            lastOrigin = net.origin();
                        }
                        b.append("add cdv-t-").append(s).append(' ').append(net.cidr()).append(" -exist\n");
                    }
                }
                b.append("swap cdv-t-").append(s).append(' ').append(s).append('\n');
                b.append("destroy cdv-t-").append(s).append('\n');
            }
        }
        for (int fam : families(in)) {
            String exempt = "cdv-exempt-" + fam;
            b.append("# IPv").append(fam).append(": the ranges the policy names itself (every static set, the private")
                    .append(" answers): a DNS answer inside them is not refused as private\n");
            b.append("create ").append(exempt).append(" list:set size ").append(in.groups().size() + 1)
                    .append('\n');
            for (int g = 0; g < in.groups().size(); g++) {
                b.append("add ").append(exempt).append(" cdv-s").append(g).append('-').append(fam).append('\n');
            }
            b.append("add ").append(exempt).append(" cdv-pans-").append(fam).append('\n');
        }
        return b.append(end(ImageLayout.IPSETS)).toString();
    }

    /**
     * A large static set is made at its final hash size: filled from ipset's default (1024 buckets), the kernel
     * would grow and rehash it several times during the load (at 10 000 ranges that is a third of the restore).
     * Two ranges a bucket on average, as the kernel itself settles; nothing for sets the default holds.
     */
    static String hashSize(long ranges) {
        if (ranges <= 2 * DEFAULT_HASH_SIZE) {
            return "";
        }
        long buckets = Math.max(2 * DEFAULT_HASH_SIZE, Long.highestOneBit(ranges / 2 - 1) << 1);
        return " hashsize " + Math.min(MAX_HASH_SIZE, buckets);
    }

    private static final int DEFAULT_HASH_SIZE = 1024;
    /** Half of maxelem 65536: the largest size {@link #hashSize} gives, and the script's grammar accepts. */
    private static final int MAX_HASH_SIZE = 32768;

    // ---------------------------------------------------------------------------------------------------------
    // Filter tables (firewall/README.md, "Rules and sets").
    // ---------------------------------------------------------------------------------------------------------

    private static String filter(Input in, int fam) {
        boolean v6 = fam == 6;
        boolean blocked = v6 && !in.ipv6Filter();
        String udpReject = v6 ? "icmp6-port-unreachable" : "icmp-port-unreachable";
        String otherReject = v6 ? "icmp6-adm-prohibited" : "icmp-admin-prohibited";
        String denied = "cdv-denied-" + fam;
        String privDenied = "cdv-privdenied-" + fam;
        List<String> r = new ArrayList<>();
        r.add("# claude-devc IPv" + fam + " filter table for " + in.project() + ": `" + (v6 ? "ip6" : "ip")
                + "tables-restore` input");
        r.add("*filter");
        r.add(":INPUT DROP [0:0]");
        r.add(":FORWARD DROP [0:0]");
        r.add(":OUTPUT DROP [0:0]");
        r.add(":CDV-DENY - [0:0]");
        r.add(":CDV-PRIVATE - [0:0]");
        r.add(":CDV-DNS-SRC - [0:0]");
        r.add(":CDV-ALLOW - [0:0]");
        r.add("-A INPUT -i lo -j ACCEPT");
        r.add("-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -m connmark --mark " + ALLOWED_MARK + " -j ACCEPT");
        if (v6 && !blocked) {
            r.add("# neighbour discovery (hop limit 255) and multicast listener queries");
            for (int t : new int[] {133, 134, 135, 136, 137}) {
                r.add("-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type " + t + " -m hl --hl-eq 255 -j ACCEPT");
            }
            r.add("-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 130 -m hl --hl-eq 1 -j ACCEPT");
            r.add("# duplicate address detection and early multicast listener reports come from ::");
            for (int t : new int[] {135, 143}) {
                r.add("-A OUTPUT -s ::/128 -p ipv6-icmp -m icmp6 --icmpv6-type " + t + " -j ACCEPT");
            }
        }
        r.add("# no packet leaves with a source address that is not ours (forged resolver replies); RELATED: our resets");
        r.add("-A OUTPUT -m addrtype ! --src-type LOCAL -m conntrack ! --ctstate RELATED -j DROP");
        if (!v6) {
            r.add("# Docker's embedded resolver: its nat rules move 127.0.0.11:53 to a random port, so match the address");
            r.add(IF_DOCKER_DNS + "-A OUTPUT -d " + DOCKER_DNS + "/32 -m owner --uid-owner " + ImageLayout.DNS_USER
                    + " -j ACCEPT");
            r.add("-A OUTPUT -d " + DOCKER_DNS + "/32 -j CDV-DENY");
        }
        r.add("# on loopback only root and the resolver's user may send from port 53 (forged answers)");
        for (String p : List.of("udp", "tcp")) {
            r.add("-A OUTPUT -o lo -p " + p + " -m " + p + " --sport 53 -j CDV-DNS-SRC");
        }
        r.add("-A CDV-DNS-SRC -m conntrack --ctstate RELATED -j RETURN");
        r.add("-A CDV-DNS-SRC -m owner --uid-owner 0 -j RETURN");
        r.add("-A CDV-DNS-SRC -m owner --uid-owner " + ImageLayout.DNS_USER + " -j RETURN");
        r.add("-A CDV-DNS-SRC -j DROP");
        r.add("-A OUTPUT -o lo -j ACCEPT");
        r.add("-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -m connmark --mark " + ALLOWED_MARK + " -j ACCEPT");
        if (blocked) {
            r.add("-A OUTPUT -j CDV-DENY");
        } else {
            if (v6) {
                for (int t : new int[] {133, 135, 136}) {
                    r.add("-A OUTPUT -p ipv6-icmp -m icmp6 --icmpv6-type " + t + " -m hl --hl-eq 255 -j ACCEPT");
                }
                for (int t : new int[] {131, 132, 143}) {
                    r.add("-A OUTPUT -p ipv6-icmp -m icmp6 --icmpv6-type " + t + " -m hl --hl-eq 1 -j ACCEPT");
                }
            }
            r.add("# the upstream resolvers, for the resolver's user only");
            for (String p : List.of("udp", "tcp")) {
                r.add("-A OUTPUT -d " + UPSTREAM + " -p " + p + " -m " + p + " --dport 53 -m owner --uid-owner "
                        + ImageLayout.DNS_USER + " -j CDV-ALLOW");
            }
            if (!v6) {
                r.add("# Docker's resolver forwards from this namespace as root (the daemon)");
                for (String p : List.of("udp", "tcp")) {
                    r.add(IF_DOCKER_DNS + "-A OUTPUT ! -o lo -p " + p + " -m " + p
                            + " --dport 53 -m owner --uid-owner 0 -j CDV-ALLOW");
                }
            }
            r.add("-A OUTPUT -p udp -m multiport --dports 53,853 -j CDV-DENY");
            r.add("-A OUTPUT -p tcp -m multiport --dports 53,853 -j CDV-DENY");
            if (!in.hostPorts().isEmpty()) {
                r.add("# network.hostAccess.ports: the default gateways and host.docker.internal");
            }
            for (int port : in.hostPorts()) {
                r.add("-A OUTPUT -d " + GATEWAY + " -p tcp -m tcp --dport " + port + " -j CDV-ALLOW");
            }
            r.add("# an internal address is not opened by a DNS answer unless the policy names its range");
            r.add("-A OUTPUT -m set --match-set cdv-private-" + fam + " dst -m set ! --match-set cdv-exempt-" + fam
                    + " dst -j CDV-PRIVATE");
            for (int g = 0; g < in.groups().size(); g++) {
                r.add("# group " + g + ": static ranges, then DNS answers");
                for (String chunk : multiportChunks(in.groups().get(g))) {
                    r.add("-A OUTPUT -p tcp -m set --match-set cdv-s" + g + "-" + fam + " dst -m multiport --dports "
                            + chunk + " -j CDV-ALLOW");
                    r.add("-A OUTPUT -p tcp -m set --match-set cdv-g" + g + "-" + fam + " dst -m multiport --dports "
                            + chunk + " -j CDV-ALLOW");
                }
            }
            r.add("-A OUTPUT -j CDV-DENY");
        }
        r.add("# what the policy lets out is marked: only marked connections pass as ESTABLISHED");
        r.add("-A CDV-ALLOW -j CONNMARK --or-mark " + ALLOWED_MARK.substring(0, ALLOWED_MARK.indexOf('/')));
        r.add("-A CDV-ALLOW -j ACCEPT");
        r.add("# refused internal destinations are recorded apart (audit: a privateAnswers candidate)");
        r.add("-A CDV-PRIVATE -m set --match-set " + privDenied + " dst,dst");
        r.add("-A CDV-PRIVATE -m set ! --match-set " + privDenied + " dst,dst ! --update-counters -j SET --add-set "
                + privDenied + " dst,dst");
        r.add("-A CDV-PRIVATE -j CDV-DENY");
        r.add("# every denied destination is recorded with a packet count, then rejected at once");
        r.add("-A CDV-DENY -m set --match-set " + denied + " dst,dst");
        r.add("-A CDV-DENY -m set ! --match-set " + denied + " dst,dst ! --update-counters -j SET --add-set " + denied
                + " dst,dst");
        if (in.audit() && !blocked) {
            r.add("-A CDV-DENY -j CDV-ALLOW");
        } else {
            r.add("-A CDV-DENY -p tcp -j REJECT --reject-with tcp-reset");
            r.add("-A CDV-DENY -p udp -j REJECT --reject-with " + udpReject);
            r.add("-A CDV-DENY -j REJECT --reject-with " + otherReject);
        }
        r.add("COMMIT");
        return String.join("\n", r) + "\n" + end(fam == 6 ? ImageLayout.FILTER6 : ImageLayout.FILTER4);
    }

    /** multiport takes at most 15 ports a rule. */
    static List<String> multiportChunks(String ports) {
        List<String> parts = Arrays.asList(ports.split(","));
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < parts.size(); i += 15) {
            chunks.add(String.join(",", parts.subList(i, Math.min(parts.size(), i + 15))));
        }
        return chunks;
    }

    // ---------------------------------------------------------------------------------------------------------
    // dnsmasq. Matching facts (dnsmasq 2.89/2.90, measured): server=/x/ matches x and every name below it;
    // server=/*.x/ matches names strictly below x, not x, and wins over server=/x/ for those; the longest pattern
    // wins. ipset=/x/ matches x and every name below it. So each host gets both patterns, forwarding or NXDOMAIN.
    // ---------------------------------------------------------------------------------------------------------

    private static String dnsmasq(Input in, List<String> notes) {
        TreeMap<String, TreeSet<Integer>> exact = new TreeMap<>();
        TreeMap<String, TreeSet<Integer>> sub = new TreeMap<>();
        Map<String, Set<String>> origins = new TreeMap<>();
        for (Name n : in.names()) {
            if (deniedName(n.host(), in.denied())) {
                notes.add("allow-name " + n.host() + " is overridden by a deny-name");
                continue;
            }
            (n.subdomains() ? sub : exact).computeIfAbsent(n.host(), k -> new TreeSet<>()).add(n.group());
            origins.computeIfAbsent(n.host(), k -> new LinkedHashSet<>())
                    .add((n.subdomains() ? "*." : "") + n.host() + ": " + n.origin());
        }
        StringBuilder b = new StringBuilder();
        b.append("# claude-devc resolver configuration for ").append(in.project()).append(": dnsmasq --conf-file\n");
        b.append("port=53\nlisten-address=127.0.0.1\n").append(IF_LO6).append("listen-address=::1\n");
        b.append("bind-interfaces\nuser=").append(ImageLayout.DNS_USER).append("\ngroup=").append(DNS_GROUP).append('\n');
        b.append("pid-file=").append(ImageLayout.DNSMASQ_PID).append('\n');
        b.append("no-resolv\nno-hosts\nno-poll\ndomain-needed\ncache-size=0\nlog-queries\nlog-async\n");
        b.append("log-facility=").append(ImageLayout.DNS_LOG).append('\n');
        if (!in.ipv6Filter()) {
            b.append("filter-AAAA\n");
        }
        if (in.audit()) {
            b.append("# audit mode: every name is forwarded; the allowed ones are still added to the sets\n");
            b.append("server=").append(UPSTREAM).append('\n');
        }
        TreeSet<String> hosts = new TreeSet<>(exact.keySet());
        hosts.addAll(sub.keySet());
        for (String host : hosts) {
            TreeSet<Integer> anc = ancestorSubGroups(host, sub);
            boolean apex = exact.containsKey(host) || !anc.isEmpty();
            boolean below = sub.containsKey(host) || !anc.isEmpty();
            for (String origin : origins.get(host)) {
                b.append("# ").append(origin).append('\n');
            }
            if (!in.audit()) {
                b.append("server=/").append(host).append('/').append(apex ? UPSTREAM : "").append('\n');
                b.append("server=/*.").append(host).append('/').append(below ? UPSTREAM : "").append('\n');
            }
            TreeSet<Integer> groups = new TreeSet<>(anc);
            groups.addAll(exact.getOrDefault(host, new TreeSet<>()));
            groups.addAll(sub.getOrDefault(host, new TreeSet<>()));
            List<String> sets = new ArrayList<>();
            for (int g : groups) {
                for (int fam : families(in)) {
                    sets.add("cdv-g" + g + "-" + fam);
                }
            }
            b.append("ipset=/").append(host).append('/').append(String.join(",", sets)).append('\n');
        }
        if (!in.audit()) {
            if (!in.denied().isEmpty()) {
                b.append("# network.deniedDomains: NXDOMAIN, even below an allowed wildcard\n");
            }
            for (String d : in.denied()) {
                b.append("server=/").append(d).append("/\nserver=/*.").append(d).append("/\n");
            }
            b.append("# everything else: NXDOMAIN\naddress=/#/\n");
        }
        return b.append(end(ImageLayout.DNSMASQ)).toString();
    }

    private static boolean deniedName(String host, List<String> denied) {
        return denied.stream().anyMatch(d -> host.equals(d) || host.endsWith("." + d));
    }

    /** The groups of the subdomains rules of the strict ancestors of a host (not the last label alone). */
    private static TreeSet<Integer> ancestorSubGroups(String host, Map<String, TreeSet<Integer>> sub) {
        TreeSet<Integer> groups = new TreeSet<>();
        String h = host;
        while (h.indexOf('.') != h.lastIndexOf('.')) {
            h = h.substring(h.indexOf('.') + 1);
            groups.addAll(sub.getOrDefault(h, new TreeSet<>()));
        }
        return groups;
    }
}
