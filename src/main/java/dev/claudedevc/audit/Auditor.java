package dev.claudedevc.audit;

import dev.claudedevc.policy.Decision;
import dev.claudedevc.policy.EffectivePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the firewall's records into proposed {@code network.allowedDomains} entries, with the evidence. */
public final class Auditor {

    private Auditor() {
    }

    /**
     * One proposal.
     *
     * @param entry  the allowedDomains entry to add, in the descriptor's grammar
     * @param reason what was seen, for the user to judge
     * @param hits   how often
     */
    public record Proposal(String entry, String reason, long hits) {
    }

    /**
     * The audit's outcome.
     *
     * @param mode      the policy's mode
     * @param proposals additions that would let what was blocked (or would be, in audit mode) through
     * @param denied    names that deniedDomains keeps closed (never proposed)
     * @param notes     what cannot be allowed by claude-devc (e.g. UDP) or was skipped
     */
    public record Report(String mode, List<Proposal> proposals, Map<String, Integer> denied, List<String> notes) {
    }

    /**
     * @param dnsLog the resolver's log ({@code /var/log/claude-devc/dns.log})
     * @param status the output of {@code claude-devc-firewall status} run as root (holds the denied records)
     */
    public static Report audit(EffectivePolicy policy, String dnsLog, String status) {
        FirewallRecords records = FirewallRecords.parse(dnsLog, status);
        Map<String, Proposal> proposals = new LinkedHashMap<>();
        Map<String, Integer> denied = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();

        // Names the resolver refused (enforce) or would refuse (audit: it forwards all, so match them here).
        Map<String, Integer> blockedNames = new LinkedHashMap<>(records.refused());
        records.queried().forEach((name, hits) -> {
            if (!policy.resolves(name).allowed()) {
                blockedNames.merge(name, hits, Math::max);
            }
        });
        FirewallRecords.sortedByHits(blockedNames).forEach((name, hits) -> {
            Decision.Verdict verdict = policy.resolves(name).verdict();
            if (verdict == Decision.Verdict.DENIED_NAME) {
                denied.put(name, hits);
            } else if (verdict != Decision.Verdict.ALLOWED) {
                proposals.put(name, new Proposal(name, "name not allowed: " + hits + " lookup(s)", hits));
            }
        });

        for (FirewallRecords.Denied d : records.denied()) {
            if (!d.protocol().equals("tcp")) {
                notes.add(d.address() + " " + d.protocol() + "/" + d.port() + " (" + d.packets()
                        + " packet(s)): only TCP can be allowed");
                continue;
            }
            if (d.port() == 53 || d.port() == 853) {
                notes.add(d.address() + " tcp/" + d.port() + " (" + d.packets()
                        + " packet(s)): DNS goes through the container's resolver only; it cannot be allowed");
                continue;
            }
            List<String> names = records.namesFor(d.address());
            String port = String.valueOf(d.port());
            if (names.isEmpty()) {
                String literal = d.address().indexOf(':') >= 0 ? "[" + d.address() + "]" : d.address();
                proposals.putIfAbsent(literal + ":" + port, new Proposal(literal + ":" + port,
                        "direct connection to an address no allowed name resolved to: " + d.packets()
                                + " packet(s); prefer the host name if there is one", d.packets()));
                continue;
            }
            for (String name : names) {
                Decision.Verdict verdict = policy.decide(name, d.port()).verdict();
                if (verdict == Decision.Verdict.PORT_NOT_ALLOWED) {
                    proposals.putIfAbsent(name + ":" + port, new Proposal(name + ":" + port,
                            "allowed name on a port it is not allowed: " + d.packets() + " packet(s)", d.packets()));
                } else if (verdict == Decision.Verdict.NOT_LISTED && !proposals.containsKey(name)) {
                    proposals.put(name, new Proposal(name, "connection to its address: " + d.packets()
                            + " packet(s)", d.packets()));
                }
            }
        }
        // An internal address an allowed name answered, refused before the allow sets (DNS rebinding guard).
        for (FirewallRecords.Denied d : records.privateDenied()) {
            List<String> names = records.namesFor(d.address()).stream()
                    .filter(name -> policy.resolves(name).allowed()).toList();
            if (!names.isEmpty()) {
                String range = d.address() + (d.address().indexOf(':') >= 0 ? "/128" : "/32");
                notes.add(d.address() + " " + d.protocol() + "/" + d.port() + " (" + d.packets() + " packet(s)), "
                        + "answered for " + String.join(", ", names) + ", is an internal address and was refused;"
                        + " if it is meant to be reachable, add " + range + " to network.privateAnswers");
            }
        }
        if (records.skippedLines() > 0) {
            notes.add(records.skippedLines() + " unreadable record(s) skipped");
        }
        return new Report(policy.mode().name().toLowerCase(java.util.Locale.ROOT), List.copyOf(proposals.values()), denied, notes);
    }
}
