package dev.claudedevc.audit;

import dev.claudedevc.generate.FirewallPolicy;
import java.util.List;

/**
 * Whether the firewall's resolver forwards a name, with the semantics of firewall/README.md: an exact entry
 * covers only that name, a subdomains entry every name strictly below it, and a denied name covers itself and
 * everything below it, overriding any allow.
 */
final class PolicyMatcher {

    private final List<FirewallPolicy.AllowedName> allowed;
    private final List<String> denied;

    PolicyMatcher(FirewallPolicy policy) {
        this.allowed = policy.names();
        this.denied = policy.denied();
    }

    boolean denied(String name) {
        return denied.stream().anyMatch(d -> atOrBelow(name, d));
    }

    boolean allowed(String name) {
        if (denied(name)) {
            return false;
        }
        return allowed.stream().anyMatch(a -> a.match().equals("exact") ? a.host().equals(name)
                : name.endsWith("." + a.host()));
    }

    /** The port sets ({@code 443,80}) through which an allowed name is reachable. */
    List<String> ports(String name, List<String> groups) {
        return allowed.stream()
                .filter(a -> a.match().equals("exact") ? a.host().equals(name) : name.endsWith("." + a.host()))
                .map(a -> groups.get(a.group())).distinct().toList();
    }

    private static boolean atOrBelow(String name, String parent) {
        return name.equals(parent) || name.endsWith("." + parent);
    }
}
