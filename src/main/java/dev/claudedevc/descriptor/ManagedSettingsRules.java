package dev.claudedevc.descriptor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code claudeCode.settings}: extra keys for Claude Code's managed settings. They may add to what claude-devc
 * renders, never undo or widen it: keys claude-devc renders from the descriptor (the sandbox, the permission mode,
 * the traffic switches, the denial hook) are refused with the descriptor key to use instead, and so is anything that
 * would let Claude Code reach more than the firewall allows. The rendered file is checked against SchemaStore's
 * schema in the tests; the reader checks shapes and names only.
 */
final class ManagedSettingsRules {

    /** Top-level keys claude-devc renders itself, with what to use instead. */
    static final Map<String, String> OWNED = Map.ofEntries(
            Map.entry("sandbox", "rendered from network.* and claudeCode.denyRead"),
            Map.entry("hooks", "claude-devc renders the firewall-denial hook; extra hooks are not merged"),
            Map.entry("disableAllHooks", "would switch off the firewall-denial hook"),
            Map.entry("allowManagedHooksOnly", "claude-devc decides which hooks the managed file has"),
            Map.entry("skipDangerousModePermissionPrompt", "set claudeCode.permissionMode: bypassPermissions"),
            Map.entry("disableClaudeAiConnectors", "set claudeCode.nonEssential (remoteMcp)"),
            Map.entry("disableArtifact", "set claudeCode.nonEssential (artifacts)"),
            Map.entry("enableArtifact", "set claudeCode.nonEssential (artifacts)"),
            Map.entry("skipWebFetchPreflight", "the WebFetch domain check stays on"));
    /** {@code permissions.*} keys claude-devc renders. */
    static final Map<String, String> OWNED_PERMISSIONS = Map.of(
            "defaultMode", "set claudeCode.permissionMode",
            "disableBypassPermissionsMode", "set claudeCode.permissionMode",
            "disableAutoMode", "set claudeCode.permissionMode");
    /** {@code env} names claude-devc sets, or that would send traffic around the box's configuration. */
    static final List<String> OWNED_ENV = List.of("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "DISABLE_TELEMETRY",
            "DISABLE_ERROR_REPORTING", "DISABLE_GROWTHBOOK", "DISABLE_AUTOUPDATER", "DISABLE_UPDATES",
            "CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL", "ENABLE_CLAUDEAI_MCP_SERVERS",
            "CLAUDE_CODE_DISABLE_ARTIFACT", "CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY", "FORCE_AUTOUPDATE_PLUGINS",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy");

    private ManagedSettingsRules() {
    }

    static Map<String, Object> read(Located.Source source, Node node, String at) {
        if (!(node instanceof Node.MapNode map)) {
            throw source.error(node, at, "expected a mapping of Claude Code settings, got " + node.typeName());
        }
        Map<String, Object> out = new TreeMap<>();
        map.entries().forEach((key, entry) -> {
            String path = at + "." + key;
            if (!Syntax.CLAUDE_SETTING_KEY.matcher(key).matches()) {
                throw source.error(entry.keyLine(), entry.keyColumn(), path, "'" + Fields.printable(key)
                        + "' is not a Claude Code settings key");
            }
            if (OWNED.containsKey(key)) {
                throw source.error(entry.keyLine(), entry.keyColumn(), path, "claude-devc renders this key itself ("
                        + OWNED.get(key) + ")");
            }
            Object value = DescriptorReader.jsonValue(source, entry.value(), path);
            switch (key) {
                case "permissions" -> permissions(source, entry.value(), path);
                case "env" -> env(source, entry.value(), path);
                default -> { }
            }
            out.put(key, value);
        });
        return out;
    }

    private static void permissions(Located.Source source, Node node, String at) {
        if (!(node instanceof Node.MapNode map)) {
            throw source.error(node, at, "expected a mapping, got " + node.typeName());
        }
        map.entries().forEach((key, entry) -> {
            String path = at + "." + key;
            if (OWNED_PERMISSIONS.containsKey(key)) {
                throw source.error(entry.keyLine(), entry.keyColumn(), path, "claude-devc renders this key itself ("
                        + OWNED_PERMISSIONS.get(key) + ")");
            }
            if (key.equals("allow") && entry.value() instanceof Node.ListNode list) {
                for (int i = 0; i < list.items().size(); i++) {
                    Node item = list.items().get(i);
                    if (item instanceof Node.Scalar s && s.value() instanceof String rule
                            && rule.replace(" ", "").startsWith("WebFetch(domain:")) {
                        throw source.error(item, path + "[" + i + "]", "a managed WebFetch domain rule widens what"
                                + " Claude Code may reach beyond the firewall's list; add the host to"
                                + " network.allowedDomains instead");
                    }
                }
            }
        });
    }

    private static void env(Located.Source source, Node node, String at) {
        if (!(node instanceof Node.MapNode map)) {
            throw source.error(node, at, "expected a mapping, got " + node.typeName());
        }
        Map<String, Object> seen = new LinkedHashMap<>();
        map.entries().forEach((key, entry) -> {
            String path = at + "." + key;
            if (!Syntax.ENV_NAME.matcher(key).matches()) {
                throw source.error(entry.keyLine(), entry.keyColumn(), path, "'" + Fields.printable(key)
                        + "' is not an environment variable name");
            }
            if (OWNED_ENV.contains(key)) {
                throw source.error(entry.keyLine(), entry.keyColumn(), path, "claude-devc sets this itself (use"
                        + " claudeCode.nonEssential, or proxy)");
            }
            if (!(entry.value() instanceof Node.Scalar s) || !(s.value() instanceof String)) {
                throw source.error(entry.value(), path, "expected a string value, got " + entry.value().typeName());
            }
            seen.put(key, s.value());
        });
    }
}
