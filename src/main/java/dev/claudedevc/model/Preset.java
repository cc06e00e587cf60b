package dev.claudedevc.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A named allowlist shipped with claude-devc ({@code firewall/presets/NAME.yaml}).
 *
 * @param name        the preset's name, as used in {@code network.presets}
 * @param description one line saying what it is for
 * @param entries     its destinations, each with the reason it is there
 * @param optional    groups of destinations that are allowed only when the descriptor turns their feature on,
 *                    by group name (e.g. the {@code anthropic} preset's {@code telemetry})
 */
public record Preset(String name, String description, List<Entry> entries, Map<String, Group> optional) {

    /**
     * One destination of a preset.
     *
     * @param rule the destination
     * @param why  why it is allowed
     */
    public record Entry(DomainRule rule, String why) {
        public Entry {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(why, "why");
        }
    }

    /**
     * An optional group: what it is for, and its destinations (possibly none, when the feature only uses hosts
     * the preset always allows).
     */
    public record Group(String description, List<Entry> entries) {
        public Group {
            Objects.requireNonNull(description, "description");
            entries = List.copyOf(entries);
        }
    }

    public Preset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        entries = List.copyOf(entries);
        optional = Map.copyOf(optional);
    }

    public Preset(String name, String description, List<Entry> entries) {
        this(name, description, entries, Map.of());
    }

    public Optional<Group> group(String groupName) {
        return Optional.ofNullable(optional.get(groupName));
    }
}
