package dev.claudedevc.validate;

import dev.claudedevc.descriptor.Syntax;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a firewall policy file line by line against the format of {@code firewall/README.md} (the same
 * patterns the script enforces), and that it makes sense as a whole.
 */
public final class PolicyCheck {

    private PolicyCheck() {
    }

    /** @return problems as {@code line N: reason}, empty when the policy is sound */
    public static List<String> check(String text) {
        List<String> problems = new ArrayList<>();
        Set<String> groups = new HashSet<>();
        Set<String> usedGroups = new HashSet<>();
        boolean version = false;
        boolean mode = false;
        int allowCount = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int n = i + 1;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ", -1);
            try {
                switch (f[0]) {
                    case "version" -> {
                        expect(f, 2);
                        if (!f[1].equals("1")) {
                            throw new IllegalArgumentException("unsupported version " + f[1]);
                        }
                        version = true;
                    }
                    case "mode" -> {
                        expect(f, 2);
                        oneOf(f[1], "enforce", "audit");
                        mode = true;
                    }
                    case "ipv6" -> {
                        expect(f, 2);
                        oneOf(f[1], "filter", "block");
                    }
                    case "group" -> {
                        expect(f, 3);
                        group(f[1]);
                        for (String port : f[2].split(",", -1)) {
                            Syntax.port(port);
                        }
                        if (!groups.add(f[1])) {
                            throw new IllegalArgumentException("group " + f[1] + " defined twice");
                        }
                    }
                    case "allow-name" -> {
                        expect(f, 4);
                        usedGroups.add(group(f[1]));
                        oneOf(f[2], "exact", "subdomains");
                        Syntax.hostName(f[3]);
                        allowCount++;
                    }
                    case "allow-net" -> {
                        expect(f, 3);
                        usedGroups.add(group(f[1]));
                        Syntax.cidr(f[2]);
                        allowCount++;
                    }
                    case "deny-name" -> {
                        expect(f, 2);
                        Syntax.hostName(f[1]);
                    }
                    case "answer-lifetime" -> {
                        expect(f, 2);
                        if (!f[1].matches("[1-9][0-9]{0,6}") || Integer.parseInt(f[1]) > 2_147_483) {
                            throw new IllegalArgumentException("answer-lifetime must be 1..2147483 seconds");
                        }
                    }
                    case "dns-log" -> {
                        expect(f, 3);
                        if (!f[1].matches("[1-9][0-9]{3,9}") || Long.parseLong(f[1]) > 1L << 30
                                || !f[2].matches("[1-9][0-9]?")) {
                            throw new IllegalArgumentException(
                                    "dns-log takes a size of 1000..1073741824 bytes and 1..99 rotated files");
                        }
                    }
                    case "private-answer" -> {
                        expect(f, 2);
                        Syntax.cidr(f[1]);
                    }
                    case "host-port" -> {
                        expect(f, 2);
                        Syntax.port(f[1]);
                    }
                    case "verify-allow", "verify-deny" -> {
                        expect(f, 3);
                        Syntax.endpoint(f[1].indexOf(':') >= 0 ? "[" + f[1] + "]" : f[1], 443);
                        Syntax.port(f[2]);
                    }
                    default -> throw new IllegalArgumentException("unknown record '" + f[0] + "'");
                }
            } catch (IllegalArgumentException e) {
                problems.add("line " + n + ": " + e.getMessage());
            }
        }
        if (!version) {
            problems.add("no 'version 1' record");
        }
        if (!mode) {
            problems.add("no 'mode' record");
        }
        for (String used : usedGroups) {
            if (!groups.contains(used)) {
                problems.add("group " + used + " is used but not defined");
            }
        }
        if (allowCount == 0) {
            problems.add("nothing is allowed: the container will have no egress at all (add a preset or domain)");
        }
        return problems;
    }

    private static void expect(String[] fields, int count) {
        if (fields.length != count) {
            throw new IllegalArgumentException("'" + fields[0] + "' takes " + (count - 1) + " field(s), got "
                    + (fields.length - 1));
        }
    }

    private static void oneOf(String value, String... allowed) {
        if (!List.of(allowed).contains(value)) {
            throw new IllegalArgumentException("'" + value + "' is not one of " + String.join(", ", allowed));
        }
    }

    private static String group(String id) {
        if (!id.matches("[0-9]{1,2}")) {
            throw new IllegalArgumentException("'" + id + "' is not a group id (0..99)");
        }
        return id;
    }
}
