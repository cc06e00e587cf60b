package dev.claudedevc.model;

import java.util.List;
import java.util.Objects;

/**
 * A named allowlist shipped with claude-devc ({@code firewall/presets/NAME.yaml}).
 *
 * @param name        the preset's name, as used in {@code network.presets}
 * @param description one line saying what it is for
 * @param entries     its destinations, each with the reason it is there
 */
public record Preset(String name, String description, List<Entry> entries) {

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

    public Preset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        entries = List.copyOf(entries);
    }
}
