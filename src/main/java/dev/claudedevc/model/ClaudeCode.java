package dev.claudedevc.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How Claude Code gets into the image and how it is configured there (its managed settings).
 *
 * @param install        the method
 * @param version        {@code latest}, {@code stable} or a version such as {@code 1.0.44}
 * @param permissionMode the permission mode Claude Code starts in
 * @param denyRead       files Claude Code must not read (secrets), relative to the workspace, gitignore-style
 * @param nonEssential   non-essential traffic turned back on (everything else stays off)
 * @param settings       extra managed settings keys, checked when read
 * @param sandbox        whether Claude Code's Bash sandbox (bubblewrap, nested mode) is on, with the seccomp profile
 *                       that lets it create its namespaces
 */
public record ClaudeCode(Install install, String version, PermissionMode permissionMode, List<String> denyRead,
        Set<Traffic> nonEssential, Map<String, Object> settings, boolean sandbox) {

    /** Installation methods. */
    public enum Install {
        /** Anthropic's native installer, run as the user. */
        NATIVE,
        /** {@code npm install -g @anthropic-ai/claude-code} with Debian's Node.js. */
        NPM,
        /** Not installed (bring your own). */
        NONE
    }

    /** Claude Code's permission modes, as it spells them ({@code permissions.defaultMode}). */
    public enum PermissionMode {
        DEFAULT("default"), ACCEPT_EDITS("acceptEdits"), AUTO("auto"), BYPASS_PERMISSIONS("bypassPermissions");

        private final String spelling;

        PermissionMode(String spelling) {
            this.spelling = spelling;
        }

        /** The name in Claude Code's settings and in the descriptor. */
        public String spelling() {
            return spelling;
        }

        public static Optional<PermissionMode> of(String text) {
            for (PermissionMode m : values()) {
                if (m.spelling.equals(text)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Parts of Claude Code's non-essential traffic. Each is off unless the descriptor turns it back on; then the
     * hosts it needs come from the {@code anthropic} preset's optional group of the same name.
     */
    public enum Traffic {
        TELEMETRY("telemetry"), ERROR_REPORTING("errorReporting"), FEATURE_FLAGS("featureFlags"),
        UPDATES("updates"), PLUGINS("plugins"), REMOTE_MCP("remoteMcp"), ARTIFACTS("artifacts");

        private final String spelling;

        Traffic(String spelling) {
            this.spelling = spelling;
        }

        /** The name in the descriptor, and of the preset's optional group. */
        public String spelling() {
            return spelling;
        }

        public static Optional<Traffic> of(String text) {
            for (Traffic t : values()) {
                if (t.spelling.equals(text)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return spelling;
        }
    }

    public ClaudeCode {
        Objects.requireNonNull(install, "install");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(permissionMode, "permissionMode");
        denyRead = List.copyOf(denyRead);
        // In the descriptor's order, so that an entry can be pointed at by its index.
        nonEssential = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(nonEssential));
        settings = Map.copyOf(settings);
    }

    /** Installed this way, at this version, with every other setting at its default. */
    public ClaudeCode(Install install, String version) {
        this(install, version, PermissionMode.DEFAULT, List.of(), Set.of(), Map.of(), true);
    }
}
