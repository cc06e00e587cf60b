package dev.claudedevc.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code claude-devc-firewall status} reported: its verdict on whether the policy is in force now (in the live
 * kernel, when run as root) and each problem it found. The one reading of that output for {@code verify},
 * {@code audit} and {@code inspect}.
 *
 * @param result   {@code ok}, {@code failed}, {@code not-in-force}, {@code unverified}, {@code never-applied}, or
 *                 {@code unknown} when the output has no verdict (not a claude-devc firewall, or an old one)
 * @param problems what does not hold, one sentence each
 */
public record FirewallStatus(String result, List<String> problems) {

    public FirewallStatus {
        problems = List.copyOf(problems);
    }

    /** Reads status output; the first {@code result=} line is the verdict. */
    public static FirewallStatus parse(String output) {
        String result = null;
        List<String> problems = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (result == null && line.startsWith("result=")) {
                result = line.substring("result=".length()).strip();
            } else if (line.startsWith("problem=")) {
                problems.add(line.substring("problem=".length()).strip());
            } else if (line.startsWith("error=")) {
                problems.add("last run: " + line.substring("error=".length()).strip());
            }
        }
        return new FirewallStatus(result == null ? "unknown" : result, problems);
    }

    /**
     * Whether the last run's record in this status output says the network was left closed ({@code closed=yes}:
     * the lockdown or the final default-deny tables known in place), whatever its result.
     */
    public static boolean closedIn(String output) {
        return output.lines().anyMatch(l -> l.strip().equals("closed=yes"));
    }

    /** Whether the firewall is in force now, as checked against the kernel's state. */
    public boolean inForce() {
        return result.equals("ok");
    }

    /** One line for a person: the verdict and its reasons. */
    public String summary() {
        return inForce() ? "in force" : "NOT in force (" + result + ")"
                + (problems.isEmpty() ? "" : ": " + String.join("; ", problems));
    }
}
