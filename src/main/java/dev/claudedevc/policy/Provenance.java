package dev.claudedevc.policy;

import java.util.Objects;

/**
 * Where an entry of the effective policy came from, for a person to find and change it.
 *
 * @param kind     which source put it there
 * @param origin   the preset's name ({@code npm}), the optional group ({@code anthropic/telemetry}), the
 *                 {@code .mcp.json} server's name; empty for the descriptor's own entries and the proxy
 * @param label    one line naming the source and the entry: {@code preset npm: registry.npmjs.org},
 *                 {@code .mcp.json server docs: docs.example.com:443}, or the descriptor location
 *                 {@code claude-devc.yaml:14:7}
 * @param keyPath  the descriptor key that brought it in: {@code network.allowedDomains[2]},
 *                 {@code network.presets[0]}, {@code claudeCode.nonEssential[1]}, {@code proxy.https}
 * @param location {@code claude-devc.yaml:LINE:COLUMN} of that key's value (just the file name when unknown)
 */
public record Provenance(Kind kind, String origin, String label, String keyPath, String location) {

    /** The sources of the effective policy. */
    public enum Kind {
        /** An entry of a preset the descriptor names in {@code network.presets}. */
        PRESET,
        /** An entry of the {@code anthropic} preset's optional group that {@code claudeCode.nonEssential} turns on. */
        NON_ESSENTIAL,
        /** The descriptor's own {@code network} entries. */
        DESCRIPTOR,
        /** A remote server of the project's {@code .mcp.json} ({@code network.mcp: allow}). */
        MCP,
        /** The host of {@code proxy.http}/{@code proxy.https}, which must be reachable for anything else to be. */
        PROXY
    }

    public Provenance {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(keyPath, "keyPath");
        Objects.requireNonNull(location, "location");
    }

    /**
     * The label and, when the label is not the location already, the key that brought it in and where:
     * {@code preset npm: registry.npmjs.org (network.presets[0] at claude-devc.yaml:9:7)}.
     */
    public String describe() {
        return label.equals(location) ? label + " (" + keyPath + ")"
                : label + " (" + keyPath + " at " + location + ")";
    }
}
