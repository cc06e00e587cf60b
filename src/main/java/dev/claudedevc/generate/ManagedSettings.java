package dev.claudedevc.generate;

import dev.claudedevc.model.ClaudeCode;
import dev.claudedevc.model.ClaudeCode.PermissionMode;
import dev.claudedevc.model.ClaudeCode.Traffic;
import dev.claudedevc.model.Descriptor;
import dev.claudedevc.model.ImageLayout;
import dev.claudedevc.model.ProtectedPaths;
import dev.claudedevc.policy.AllowEntry;
import dev.claudedevc.policy.EffectivePolicy;
import dev.claudedevc.policy.PortGroup;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Claude Code's managed settings ({@value ImageLayout#MANAGED_SETTINGS} in the image), compiled from the same
 * effective policy as the firewall, so the two agree (README, "Claude Code's managed settings"):
 * <ul>
 *   <li>{@code sandbox.network.allowedDomains}: every allowed name of the firewall policy, one {@code host:port}
 *       per port of its group (claude-devc's port-less entry means {@code network.ports}; Claude Code's would mean
 *       every port); IP and CIDR entries have no Claude Code form and are left out. {@code deniedDomains}: each
 *       denied name and its subdomains. {@code allowManagedDomainsOnly} locks the list;</li>
 *   <li>{@code permissions.deny}: editing the protected paths, reading {@code claudeCode.denyRead}; the secrets
 *       also in the sandbox's read denials, the protected paths in its write denials;</li>
 *   <li>{@code env}: each part of non-essential traffic off unless {@code claudeCode.nonEssential} lists it;</li>
 *   <li>the permission mode's keys; then {@code claudeCode.settings}, which the reader has checked.</li>
 * </ul>
 */
public final class ManagedSettings {

    /** The generated file in the output folder. */
    public static final String FILE = "claude-code-managed-settings.json";
    /** SchemaStore's schema for Claude Code settings, named in the file for editors. */
    static final String SCHEMA_URL = "https://json.schemastore.org/claude-code-settings.json";

    private ManagedSettings() {
    }

    /**
     * The protected paths as workspace-relative patterns ({@code folder/**} for a folder): editing them is denied
     * (the read-only mounts are the real control).
     */
    static List<String> protectedPaths(ProtectedPaths paths) {
        return paths.entries().stream().map(e -> e.directory() ? e.name() + "/**" : e.name()).toList();
    }

    /** The settings as a JSON tree (sorted maps), for {@link #render} and tests. */
    static Map<String, Object> settings(Descriptor d, EffectivePolicy policy, ProtectedPaths paths) {
        ClaudeCode cc = d.claudeCode();
        Map<String, Object> root = new TreeMap<>();
        root.put("$schema", SCHEMA_URL);

        Map<String, Object> network = new TreeMap<>();
        network.put("allowedDomains", allowedDomains(policy));
        network.put("deniedDomains", deniedDomains(policy));
        network.put("allowManagedDomainsOnly", true);
        Map<String, Object> filesystem = new TreeMap<>();
        List<String> protectedPaths = protectedPaths(paths);
        filesystem.put("denyWrite", protectedPaths.stream().map(ManagedSettings::sandboxPath).distinct().toList());
        if (!cc.denyRead().isEmpty()) {
            filesystem.put("denyRead", cc.denyRead().stream().map(ManagedSettings::sandboxPath).distinct().toList());
        }
        Map<String, Object> sandbox = new TreeMap<>();
        // Bubblewrap in a container cannot mount a fresh /proc: the nested mode the docs prescribe for unprivileged
        // containers binds the container's instead; the seccomp profile lets it create its namespaces.
        sandbox.put("enabled", cc.sandbox());
        if (cc.sandbox()) {
            sandbox.put("enableWeakerNestedSandbox", true);
        }
        sandbox.put("network", network);
        sandbox.put("filesystem", filesystem);
        root.put("sandbox", sandbox);

        Map<String, Object> permissions = new TreeMap<>();
        List<String> deny = new ArrayList<>();
        protectedPaths.forEach(p -> deny.add("Edit(" + rulePath(p) + ")"));
        cc.denyRead().forEach(p -> deny.add("Read(" + rulePath(p) + ")"));
        permissions.put("deny", deny);
        permissions.put("defaultMode", cc.permissionMode().spelling());
        if (cc.permissionMode() != PermissionMode.BYPASS_PERMISSIONS) {
            permissions.put("disableBypassPermissionsMode", "disable");
        } else {
            root.put("skipDangerousModePermissionPrompt", true);
        }
        if (cc.permissionMode() != PermissionMode.AUTO) {
            permissions.put("disableAutoMode", "disable");
        }
        Map<String, Object> env = new TreeMap<>(traffic(cc.nonEssential(), root));

        for (Map.Entry<String, Object> extra : cc.settings().entrySet()) {
            switch (extra.getKey()) {
                case "permissions" -> mergeInto(permissions, extra.getValue());
                case "env" -> mergeInto(env, extra.getValue());
                default -> {
                    if (root.putIfAbsent(extra.getKey(), extra.getValue()) != null) {
                        throw new IllegalStateException("claudeCode.settings." + extra.getKey()
                                + " collides with a rendered key; the reader should have refused it");
                    }
                }
            }
        }
        root.put("hooks", denialHooks());
        root.put("permissions", permissions);
        root.put("env", env);
        return root;
    }

    static GeneratedFile render(Descriptor d, EffectivePolicy policy, ProtectedPaths paths) {
        return GeneratedFile.text(FILE, JsonText.of(settings(d, policy, paths), 0) + "\n", false);
    }

    /**
     * After a Bash command (failed, or exited 0 despite a blocked request), the firewall's denials of the last
     * minute go to the model as the hook's additional context, so a blocked host does not look like a typo or an
     * outage. The command prints nothing when there are none.
     */
    private static Map<String, Object> denialHooks() {
        Map<String, Object> hooks = new TreeMap<>();
        for (String event : List.of("PostToolUse", "PostToolUseFailure")) {
            hooks.put(event, List.of(Map.of("matcher", "Bash", "hooks", List.of(Map.of("type", "command",
                    "command", ImageLayout.DENIALS + " --hook " + event, "timeout", 10)))));
        }
        return hooks;
    }

    /** One entry per allowed name and port, in the order of the policy's port groups. */
    static List<String> allowedDomains(EffectivePolicy policy) {
        Set<String> out = new LinkedHashSet<>();
        for (PortGroup group : policy.groups()) {
            for (AllowEntry name : group.names()) {
                String host = name.match() == AllowEntry.Match.SUBDOMAINS ? "*." + name.value() : name.value();
                group.ports().forEach(port -> out.add(host + ":" + port));
            }
        }
        return List.copyOf(out);
    }

    /** The firewall refuses a denied name and every name below it. */
    static List<String> deniedDomains(EffectivePolicy policy) {
        List<String> out = new ArrayList<>();
        for (String host : policy.deniedNames()) {
            out.add(host);
            out.add("*." + host);
        }
        return out;
    }

    /**
     * What each part of non-essential traffic turns off (environment variables; a few are settings keys, put into
     * {@code root}). All off: also Claude Code's single switch for all of them.
     */
    private static Map<String, String> traffic(Set<Traffic> on, Map<String, Object> root) {
        Map<String, String> env = new TreeMap<>();
        env.put("CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY", "1");
        for (Traffic part : Traffic.values()) {
            if (on.contains(part)) {
                continue;
            }
            switch (part) {
                case TELEMETRY -> env.put("DISABLE_TELEMETRY", "1");
                case ERROR_REPORTING -> env.put("DISABLE_ERROR_REPORTING", "1");
                case FEATURE_FLAGS -> env.put("DISABLE_GROWTHBOOK", "1");
                case UPDATES -> {
                    env.put("DISABLE_AUTOUPDATER", "1");
                    env.put("DISABLE_UPDATES", "1");
                }
                case PLUGINS -> env.put("CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL", "1");
                case REMOTE_MCP -> {
                    env.put("ENABLE_CLAUDEAI_MCP_SERVERS", "false");
                    root.put("disableClaudeAiConnectors", true);
                }
                case ARTIFACTS -> {
                    env.put("CLAUDE_CODE_DISABLE_ARTIFACT", "1");
                    root.put("disableArtifact", true);
                }
            }
        }
        if (on.isEmpty()) {
            env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> target, Object extra) {
        ((Map<String, Object>) extra).forEach((k, v) -> {
            Object existing = target.get(k);
            if (existing instanceof List<?> list && v instanceof List<?> more) {
                List<Object> merged = new ArrayList<>(list);
                more.stream().filter(x -> !merged.contains(x)).forEach(merged::add);
                target.put(k, merged);
            } else if (existing != null) {
                throw new IllegalStateException(k + " collides with a rendered key; the reader should have refused it");
            } else {
                target.put(k, v);
            }
        });
    }

    /** A permission rule's absolute path ({@code //} is the file system root in Claude Code's rule syntax). */
    private static String rulePath(String workspaceRelative) {
        return "/" + ImageLayout.WORKSPACE + "/" + workspaceRelative;
    }

    /** A sandbox path: absolute ({@code //}), a folder instead of {@code folder/**}. */
    private static String sandboxPath(String workspaceRelative) {
        String p = workspaceRelative.endsWith("/**")
                ? workspaceRelative.substring(0, workspaceRelative.length() - 3) : workspaceRelative;
        return "/" + ImageLayout.WORKSPACE + "/" + p;
    }
}
