package dev.claudedevc.descriptor;

import dev.claudedevc.assets.Assets;
import dev.claudedevc.model.DomainRule;
import dev.claudedevc.model.Preset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The named allowlists: {@code firewall/presets/NAME.yaml} (built-in, or from a team's templates folder). Each is
 * validated like a descriptor: same grammar, located errors.
 */
public final class PresetCatalog {

    private static final String FOLDER = "firewall/presets";
    private static final List<String> KEYS = List.of("description", "domains", "optional");
    private static final List<String> GROUP_KEYS = List.of("description", "domains");
    private static final List<String> ENTRY_KEYS = List.of("host", "why");
    private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9 ,.;:()/+_'-]{1,200}");

    private final Map<String, Preset> presets;

    private PresetCatalog(Map<String, Preset> presets) {
        this.presets = presets;
    }

    /** The presets shipped in the jar. */
    public static PresetCatalog builtIn() {
        return from(Assets.builtIn());
    }

    /** These presets, already validated (a test's, or a catalog narrowed to some). */
    public static PresetCatalog of(List<Preset> presets) {
        Map<String, Preset> byName = new TreeMap<>();
        presets.forEach(p -> byName.put(p.name(), p));
        return new PresetCatalog(byName);
    }

    /** The presets of these assets (built-in plus a team folder's {@code presets/}). */
    public static PresetCatalog from(Assets assets) {
        Map<String, Preset> presets = new TreeMap<>();
        for (String file : assets.list(FOLDER)) {
            if (!file.endsWith(".yaml")) {
                continue;
            }
            String name = file.substring(0, file.length() - ".yaml".length());
            String asset = FOLDER + "/" + file;
            byte[] bytes = assets.read(asset).orElseThrow();
            presets.put(name, parse(name, new String(bytes, StandardCharsets.UTF_8), Path.of(assets.origin(asset))));
        }
        return new PresetCatalog(presets);
    }

    static Preset parse(String name, String text, Path origin) {
        Located.Source source = new Located.Source(origin, "YAML");
        if (!Syntax.PRESET_NAME.matcher(name).matches()) {
            throw source.error(1, 1, "", "'" + name + "' is not a valid preset name");
        }
        Fields f = Fields.of(source, TreeParser.yaml().parse(text, source), "", KEYS);
        String description = f.string("description", TEXT, "a one-line description (plain text)")
                .orElseThrow(() -> source.error(f.node(), "description", "missing required key"));
        List<Preset.Entry> entries = entries(source, f);
        Map<String, Preset.Group> optional = new TreeMap<>();
        f.node("optional").ifPresent(node -> {
            if (!(node instanceof Node.MapNode map)) {
                throw source.error(node, "optional", "expected a mapping of group names, got " + node.typeName());
            }
            map.entries().forEach((group, entry) -> {
                String at = "optional." + group;
                if (!Syntax.PRESET_NAME.matcher(group.toLowerCase(java.util.Locale.ROOT)).matches()) {
                    throw source.error(entry.keyLine(), entry.keyColumn(), at, "not a valid group name");
                }
                Fields g = Fields.of(source, entry.value(), at, GROUP_KEYS);
                String about = g.string("description", TEXT, "a one-line description (plain text)")
                        .orElseThrow(() -> source.error(entry.value(), at, "missing required key 'description'"));
                optional.put(group, new Preset.Group(about, entries(source, g)));
            });
        });
        return new Preset(name, description, entries, optional);
    }

    private static List<Preset.Entry> entries(Located.Source source, Fields f) {
        return new ArrayList<>(f.list("domains", (n, p) -> {
            Fields entry = Fields.of(source, n, p, ENTRY_KEYS);
            DomainRule rule = entry.parsed("host", Syntax::domainRule)
                    .orElseThrow(() -> source.error(n, p, "missing required key 'host'"));
            String why = entry.string("why", TEXT, "a one-line reason (plain text)")
                    .orElseThrow(() -> source.error(n, p, "missing required key 'why'"));
            return new Preset.Entry(rule, why);
        }));
    }

    public TreeSet<String> names() {
        return new TreeSet<>(presets.keySet());
    }

    public Optional<Preset> get(String name) {
        return Optional.ofNullable(presets.get(name));
    }

    public List<Preset> all() {
        return List.copyOf(presets.values());
    }
}
