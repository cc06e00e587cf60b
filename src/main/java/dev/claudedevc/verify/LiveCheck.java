package dev.claudedevc.verify;

import dev.claudedevc.docker.DockerEngine;
import dev.claudedevc.docker.ExecResult;
import dev.claudedevc.model.Endpoint;
import dev.claudedevc.model.FirewallStatus;
import dev.claudedevc.model.ImageLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code check --container}: what a running dev container's firewall does with one destination, asked of the
 * live box rather than the descriptor. As root, through the engine's exec (argument lists, no shell): the
 * firewall's {@code status} (is it in force, which mode), a lookup through the container's own resolver (the
 * only one the agent may use; the lookup is recorded in its log like any other), {@code ipset test} of each
 * answer against the private-range guard and the allow sets, and the allow rules' ports from
 * {@code iptables -S}. Nothing is connected to and nothing is changed (beyond what any lookup of an allowed name
 * does: its answers join the allow sets).
 */
public final class LiveCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern STATUS = Pattern.compile(";; ->>HEADER<<-.* status: ([A-Z]+),");
    private static final Pattern RECORD = Pattern.compile("\\S+\\s+\\d+\\s+IN\\s+(A|AAAA)\\s+([0-9a-fA-F.:]+)");
    private static final Pattern ALLOW_SET = Pattern.compile("cdv-[gs][0-9]{1,2}-[46]");
    private static final Pattern ALLOW_RULE = Pattern.compile(
            "-A OUTPUT -p tcp -m set --match-set (cdv-[gs][0-9]{1,2}-[46]) dst -m multiport --dports ([0-9,]+)"
                    + " -j CDV-ALLOW");
    private static final Pattern DNS_DENY = Pattern.compile("-A OUTPUT -p tcp -m multiport --dports ([0-9,]+)"
            + " -j CDV-DENY");

    /**
     * The live box's answer.
     *
     * @param allowed   whether a connection would be let out
     * @param mode      the mode the firewall applied ({@code enforce}, {@code audit}, or {@code unknown})
     * @param firewall  the firewall's own verdict on whether it is in force
     * @param resolver  the resolver's response code ({@code NOERROR}, {@code NXDOMAIN}, …), or empty for an IP
     * @param addresses the addresses the resolver answered (or the literal asked about)
     * @param sets      the allow sets holding one of them, with their ports ({@code cdv-g0-4 443,80})
     * @param reason    one line for a person
     */
    public record Answer(boolean allowed, String mode, FirewallStatus firewall, String resolver,
            List<String> addresses, List<String> sets, String reason) {

        public Answer {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(firewall, "firewall");
            Objects.requireNonNull(resolver, "resolver");
            addresses = List.copyOf(addresses);
            sets = List.copyOf(sets);
            Objects.requireNonNull(reason, "reason");
        }
    }

    private final DockerEngine engine;
    private final String container;

    public LiveCheck(DockerEngine engine, String containerId) {
        this.engine = engine;
        this.container = containerId;
    }

    /** @param target a host name or IP literal (validated by the caller) and a port */
    public Answer ask(Endpoint target) {
        ExecResult statusRun = root(ImageLayout.STATUS_COMMAND);
        FirewallStatus status = FirewallStatus.parse(statusRun.output());
        String mode = statusRun.lines().stream().filter(l -> l.startsWith("mode=")).findFirst()
                .map(l -> l.substring("mode=".length())).orElse("unknown");
        boolean literal = target.host().matches("[0-9.]+") || target.isIpv6Literal();
        String resolver = "";
        List<String> addresses = new ArrayList<>();
        if (literal) {
            addresses.add(target.host());
        } else {
            for (String type : List.of("A", "AAAA")) {
                ExecResult dig = root(List.of("dig", "+time=3", "+tries=1", "+noall", "+comments", "+answer",
                        "@127.0.0.1", target.host(), type));
                Matcher m = STATUS.matcher(dig.output());
                String code = m.find() ? m.group(1) : dig.timedOut() ? "TIMEOUT" : "NO-ANSWER";
                resolver = resolver.isEmpty() || resolver.equals("NOERROR") && !code.equals("NOERROR")
                        ? code : resolver;
                for (String line : dig.lines()) {
                    Matcher r = RECORD.matcher(line);
                    if (r.matches() && !addresses.contains(r.group(2))) {
                        addresses.add(r.group(2).toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        }
        if (mode.equals("audit")) {
            return new Answer(true, mode, status, resolver, addresses, List.of(), "audit mode: the firewall lets"
                    + " everything through and records what enforce would deny");
        }
        if (!status.inForce()) {
            return new Answer(false, mode, status, resolver, addresses, List.of(), "the firewall is "
                    + status.summary() + "; nothing is certain about this container");
        }
        if (addresses.isEmpty()) {
            return new Answer(false, mode, status, resolver, addresses, List.of(), "the container's resolver"
                    + " answers " + resolver + " for " + target.host() + " (not allowed, or no address)");
        }
        Set<String> dnsDenied = new LinkedHashSet<>();
        List<String[]> allowRules = new ArrayList<>();
        for (String tool : List.of("iptables", "ip6tables")) {
            for (String line : root(List.of(tool, "-w", "5", "-S", "OUTPUT")).lines()) {
                Matcher a = ALLOW_RULE.matcher(line);
                Matcher d = DNS_DENY.matcher(line);
                if (a.matches()) {
                    allowRules.add(new String[] {a.group(1), a.group(2)});
                } else if (d.matches()) {
                    dnsDenied.addAll(List.of(d.group(1).split(",")));
                }
            }
        }
        String port = String.valueOf(target.port());
        if (dnsDenied.contains(port)) {
            return new Answer(false, mode, status, resolver, addresses, List.of(), "port " + port + " is DNS: only"
                    + " the container's own resolver may use it");
        }
        List<String> sets = root(List.of("ipset", "list", "-n")).lines().stream()
                .filter(s -> ALLOW_SET.matcher(s).matches()).toList();
        List<String> holding = new ArrayList<>();
        List<String> guarded = new ArrayList<>();
        for (String address : addresses) {
            String family = address.indexOf(':') >= 0 ? "6" : "4";
            // cdv-exempt-<fam> is a list:set (of the static sets and cdv-pans-<fam>): test its members.
            boolean exempt = in("cdv-pans-" + family, address) || sets.stream()
                    .filter(s -> s.startsWith("cdv-s") && s.endsWith("-" + family)).anyMatch(s -> in(s, address));
            if (in("cdv-private-" + family, address) && !exempt) {
                guarded.add(address);
                continue;
            }
            for (String set : sets) {
                if (!set.endsWith("-" + family) || !in(set, address)) {
                    continue;
                }
                for (String[] rule : allowRules) {
                    if (rule[0].equals(set)) {
                        holding.add(set + " " + rule[1]);
                        if (List.of(rule[1].split(",")).contains(port)) {
                            return new Answer(true, mode, status, resolver, addresses, List.of(set + " " + rule[1]),
                                    address + " is in the allow set " + set + ", open on port(s) " + rule[1]);
                        }
                    }
                }
            }
        }
        String why = !holding.isEmpty() ? "the allow sets holding " + String.join(", ", addresses) + " ("
                + String.join("; ", holding) + ") are not open on port " + port
                : !guarded.isEmpty() ? String.join(", ", guarded) + " is an internal address no allowed range or"
                        + " network.privateAnswers entry exempts (the DNS rebinding guard refuses it)"
                : "no allow set holds " + String.join(", ", addresses);
        return new Answer(false, mode, status, resolver, addresses, holding, why);
    }

    private boolean in(String set, String address) {
        return root(List.of("ipset", "test", set, address)).succeeded();
    }

    private ExecResult root(List<String> command) {
        return engine.exec(container, "root", command, TIMEOUT);
    }
}
