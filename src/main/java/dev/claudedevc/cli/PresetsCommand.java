package dev.claudedevc.cli;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.assets.Assets;
import dev.claudedevc.descriptor.PresetCatalog;
import dev.claudedevc.model.Preset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code presets [NAME]}: lists the presets, or shows one with the reason for each entry. */
@Command(name = "presets", mixinStandardHelpOptions = true,
        description = {"Lists the allowlist presets, or shows one with a reason per entry."})
final class PresetsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "The preset to show.")
    String name;

    @Option(names = "--templates", paramLabel = "DIR", description = "Include a team folder's presets/.")
    Path templates;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        PresetCatalog catalog = PresetCatalog.from(Assets.withOverrides(Optional.ofNullable(templates)));
        PrintWriter out = spec.commandLine().getOut();
        if (name == null) {
            if (json.enabled()) {
                JsonOption.print(out, "ok", Map.of("presets", catalog.all().stream().map(p -> Map.of("name", p.name(), "description",
                        p.description(), "entries", p.entries().size())).toList()));
            } else {
                catalog.all().forEach(p -> out.printf("%-10s %s (%d)%n", p.name(), p.description(),
                        p.entries().size()));
            }
            return ExitCodes.OK;
        }
        Preset preset = catalog.get(name).orElseThrow(() -> new ClaudeDevcException(
                ClaudeDevcException.Kind.INVALID_DESCRIPTOR, "unknown preset '" + name + "' (known: "
                        + String.join(", ", catalog.names()) + ")"));
        if (json.enabled()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("name", preset.name());
            result.put("description", preset.description());
            result.put("entries", preset.entries().stream()
                    .map(e -> Map.of("host", e.rule().toString(), "why", e.why())).toList());
            Map<String, Object> optional = new LinkedHashMap<>();
            new java.util.TreeMap<>(preset.optional()).forEach((group, g) -> optional.put(group, Map.of(
                    "description", g.description(), "entries", g.entries().stream()
                            .map(e -> Map.of("host", e.rule().toString(), "why", e.why())).toList())));
            result.put("optional", optional);
            JsonOption.print(out, "ok", result);
        } else {
            out.println(preset.name() + ": " + preset.description());
            int width = preset.entries().stream().mapToInt(e -> e.rule().toString().length()).max().orElse(0);
            preset.entries().forEach(e -> out.printf("  %-" + width + "s  %s%n", e.rule(), e.why()));
            new java.util.TreeMap<>(preset.optional()).forEach((group, g) -> {
                out.println("optional " + group + " (claudeCode.nonEssential: [" + group + "]): " + g.description());
                g.entries().forEach(e -> out.printf("  %-" + width + "s  %s%n", e.rule(), e.why()));
            });
        }
        return ExitCodes.OK;
    }

}
