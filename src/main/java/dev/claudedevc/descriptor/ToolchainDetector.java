package dev.claudedevc.descriptor;

import dev.claudedevc.model.Ecosystem;
import dev.claudedevc.model.ToolchainVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds which toolchains a project needs, and at which version, from the files real projects state it in. Reads
 * only the project's top folder, each file at most {@value #MAX_BYTES} bytes, never following symbolic links; a file
 * it cannot read or understand states nothing. Each version is the lowest the project accepts.
 */
public final class ToolchainDetector {

    static final int MAX_BYTES = 1024 * 1024;

    /**
     * One detected toolchain.
     *
     * @param ecosystem the language
     * @param version   the lowest version the project accepts, or empty when no file states one
     * @param evidence  where the version (or the ecosystem) was found, e.g. {@code package.json engines.node ">=20"}
     */
    public record Detected(Ecosystem ecosystem, Optional<ToolchainVersion> version, String evidence) {
    }

    /** The marker files that say an ecosystem is used, in the order ecosystems are reported. */
    static final Map<Ecosystem, List<String>> MARKERS = markers();

    private static final Pattern BOUND = Pattern.compile(
            "(<=|<|!=|>=|>|\\^|~=|~|===|==|=)?\\s*v?([0-9]+(?:\\.[0-9]+){0,2})(?:\\.[x*])?");

    private ToolchainDetector() {
    }

    private static Map<Ecosystem, List<String>> markers() {
        Map<Ecosystem, List<String>> m = new LinkedHashMap<>();
        m.put(Ecosystem.NODE, List.of("package.json", ".nvmrc", ".node-version"));
        m.put(Ecosystem.JAVA, List.of("pom.xml", "build.gradle", "build.gradle.kts"));
        m.put(Ecosystem.PYTHON, List.of("pyproject.toml", "requirements.txt", ".python-version", "setup.py"));
        m.put(Ecosystem.GO, List.of("go.mod"));
        m.put(Ecosystem.RUST, List.of("Cargo.toml", "rust-toolchain.toml", "rust-toolchain"));
        return m;
    }

    /** The toolchains {@code dir} needs, in {@link #MARKERS} order. */
    public static List<Detected> detect(Path dir) {
        List<Detected> found = new ArrayList<>();
        for (Map.Entry<Ecosystem, List<String>> e : MARKERS.entrySet()) {
            Optional<String> marker = e.getValue().stream().filter(f -> read(dir, f).isPresent()).findFirst();
            if (marker.isEmpty()) {
                continue;
            }
            Optional<Detected> stated = switch (e.getKey()) {
                case NODE -> node(dir);
                case PYTHON -> python(dir);
                case JAVA -> java(dir);
                case GO -> go(dir);
                case RUST -> rust(dir);
            };
            found.add(stated.orElse(new Detected(e.getKey(), Optional.empty(), marker.get())));
        }
        return found;
    }

    private static Optional<Detected> node(Path dir) {
        for (String file : List.of(".nvmrc", ".node-version")) {
            Optional<Detected> pinned = read(dir, file).flatMap(text -> firstLine(text))
                    .flatMap(v -> lowest(v).map(version -> new Detected(Ecosystem.NODE, Optional.of(version),
                            file + " " + v)));
            if (pinned.isPresent()) {
                return pinned;
            }
        }
        return read(dir, "package.json").flatMap(text -> {
            Matcher engines = Pattern.compile("\"engines\"\\s*:\\s*\\{[^}]*?\"node\"\\s*:\\s*\"([^\"]{1,200})\"",
                    Pattern.DOTALL).matcher(text);
            return engines.find() ? lowest(engines.group(1)).map(v -> new Detected(Ecosystem.NODE, Optional.of(v),
                    "package.json engines.node \"" + engines.group(1) + "\"")) : Optional.empty();
        });
    }

    private static Optional<Detected> python(Path dir) {
        Optional<Detected> pinned = read(dir, ".python-version").flatMap(ToolchainDetector::firstLine)
                .flatMap(v -> lowest(v).map(version -> new Detected(Ecosystem.PYTHON,
                        Optional.of(version.prefix(2)), ".python-version " + v)));
        if (pinned.isPresent()) {
            return pinned;
        }
        return read(dir, "pyproject.toml").flatMap(text -> {
            Optional<String> requires = tomlString(text, "project", "requires-python")
                    .or(() -> tomlString(text, "tool.poetry.dependencies", "python"));
            return requires.flatMap(r -> lowest(r).map(v -> new Detected(Ecosystem.PYTHON, Optional.of(v.prefix(2)),
                    "pyproject.toml " + (text.contains("requires-python") ? "requires-python" : "poetry python")
                            + " \"" + r + "\"")));
        });
    }

    private static Optional<Detected> java(Path dir) {
        Optional<Detected> maven = read(dir, "pom.xml").flatMap(pom -> {
            for (String property : List.of("maven.compiler.release", "java.version", "maven.compiler.source",
                    "maven.compiler.target")) {
                Optional<String> value = xmlProperty(pom, property);
                if (value.isPresent()) {
                    Optional<ToolchainVersion> v = javaVersion(value.get());
                    if (v.isPresent()) {
                        return Optional.of(new Detected(Ecosystem.JAVA, v, "pom.xml " + property + " "
                                + value.get()));
                    }
                }
            }
            Matcher release = Pattern.compile("<release>\\s*([0-9.]{1,5})\\s*</release>").matcher(pom);
            return release.find() ? javaVersion(release.group(1)).map(v -> new Detected(Ecosystem.JAVA,
                    Optional.of(v), "pom.xml compiler <release>" + release.group(1))) : Optional.empty();
        });
        if (maven.isPresent()) {
            return maven;
        }
        for (String file : List.of("build.gradle.kts", "build.gradle")) {
            Optional<Detected> gradle = read(dir, file).flatMap(text -> {
                for (Pattern p : List.of(
                        Pattern.compile("JavaLanguageVersion\\.of\\(\\s*\"?([0-9]{1,3})\"?\\s*\\)"),
                        Pattern.compile("jvmToolchain\\(\\s*([0-9]{1,3})\\s*\\)"),
                        Pattern.compile("(?:source|target)Compatibility\\s*=\\s*JavaVersion\\.VERSION_([0-9_]{1,5})"),
                        Pattern.compile("(?:source|target)Compatibility\\s*=\\s*['\"]?([0-9.]{1,5})['\"]?"))) {
                    Matcher m = p.matcher(text);
                    if (m.find()) {
                        String value = m.group(1).replace('_', '.');
                        Optional<ToolchainVersion> v = javaVersion(value);
                        if (v.isPresent()) {
                            return Optional.of(new Detected(Ecosystem.JAVA, v, file + " " + m.group().strip()));
                        }
                    }
                }
                return Optional.empty();
            });
            if (gradle.isPresent()) {
                return gradle;
            }
        }
        return Optional.empty();
    }

    /** {@code 1.8} is Java 8; {@code 17} and {@code 17.0.2} are 17. */
    private static Optional<ToolchainVersion> javaVersion(String text) {
        Matcher m = Pattern.compile("(?:1\\.)?([0-9]{1,3})(?:\\.[0-9.]*)?").matcher(text.strip());
        return m.matches() ? Optional.of(new ToolchainVersion(List.of(Integer.parseInt(m.group(1))))) : Optional.empty();
    }

    private static Optional<Detected> go(Path dir) {
        return read(dir, "go.mod").flatMap(text -> {
            Matcher toolchain = Pattern.compile("(?m)^toolchain\\s+go([0-9]+\\.[0-9]+(?:\\.[0-9]+)?)\\s*$").matcher(text);
            Matcher directive = Pattern.compile("(?m)^go\\s+([0-9]+\\.[0-9]+(?:\\.[0-9]+)?)\\s*$").matcher(text);
            if (directive.find()) {
                ToolchainVersion v = ToolchainVersion.parse(directive.group(1));
                return Optional.of(new Detected(Ecosystem.GO, Optional.of(v.prefix(2)), "go.mod go " + directive.group(1)));
            }
            if (toolchain.find()) {
                ToolchainVersion v = ToolchainVersion.parse(toolchain.group(1));
                return Optional.of(new Detected(Ecosystem.GO, Optional.of(v.prefix(2)), "go.mod toolchain go"
                        + toolchain.group(1)));
            }
            return Optional.empty();
        });
    }

    private static Optional<Detected> rust(Path dir) {
        Optional<Detected> channel = read(dir, "rust-toolchain.toml")
                .flatMap(text -> tomlString(text, "toolchain", "channel"))
                .or(() -> read(dir, "rust-toolchain").flatMap(ToolchainDetector::firstLine))
                .flatMap(c -> c.matches("[0-9]+\\.[0-9]+(\\.[0-9]+)?")
                        ? Optional.of(new Detected(Ecosystem.RUST, Optional.of(ToolchainVersion.parse(c)),
                                "rust-toolchain channel " + c)) : Optional.empty());
        if (channel.isPresent()) {
            return channel;
        }
        return read(dir, "Cargo.toml").flatMap(text -> tomlString(text, "package", "rust-version")
                .or(() -> tomlString(text, "workspace.package", "rust-version"))
                .flatMap(r -> r.matches("[0-9]+\\.[0-9]+(\\.[0-9]+)?")
                        ? Optional.of(new Detected(Ecosystem.RUST, Optional.of(ToolchainVersion.parse(r)),
                                "Cargo.toml rust-version " + r)) : Optional.empty()));
    }

    /**
     * The lowest version a requirement accepts: {@code >=18}, {@code ^20.1}, {@code ~3.11}, {@code >=3.9,<4},
     * {@code 18.x || 20.x}, {@code v20.11.0}, {@code 3.12}. Upper bounds and exclusions are ignored; alternatives
     * ({@code ||}) give the lowest of theirs; names ({@code lts/*}, {@code stable}) state nothing.
     */
    static Optional<ToolchainVersion> lowest(String requirement) {
        Optional<ToolchainVersion> best = Optional.empty();
        for (String alternative : requirement.split("\\|\\|")) {
            Optional<ToolchainVersion> floor = Optional.empty();
            String range = alternative.contains(" - ") ? alternative.substring(0, alternative.indexOf(" - "))
                    : alternative;
            Matcher m = BOUND.matcher(range);
            while (m.find()) {
                String op = m.group(1) == null ? "" : m.group(1);
                if (op.startsWith("<") || op.equals("!=")) {
                    continue;
                }
                ToolchainVersion v;
                try {
                    v = ToolchainVersion.parse(m.group(2));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (floor.isEmpty() || v.compareTo(floor.get()) > 0) {
                    floor = Optional.of(v);
                }
            }
            if (floor.isPresent() && (best.isEmpty() || floor.get().compareTo(best.get()) < 0)) {
                best = floor;
            }
        }
        return best;
    }

    /** A string value {@code key = "..."} in the TOML table {@code table} (a minimal reader: one line per key). */
    static Optional<String> tomlString(String text, String table, String key) {
        String current = "";
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("[") && line.endsWith("]")) {
                current = line.replaceAll("^\\[+|\\]+$", "").strip();
                continue;
            }
            Matcher m = Pattern.compile(Pattern.quote(key) + "\\s*=\\s*[\"']([^\"']{1,200})[\"']").matcher(line);
            if (current.equals(table) && m.lookingAt()) {
                return Optional.of(m.group(1).strip());
            }
        }
        return Optional.empty();
    }

    /** {@code <name>value</name>} in a POM, following one {@code ${property}} reference. */
    private static Optional<String> xmlProperty(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">\\s*([^<]{1,100}?)\\s*</" + Pattern.quote(name) + ">")
                .matcher(pom);
        if (!m.find()) {
            return Optional.empty();
        }
        String value = m.group(1);
        Matcher ref = Pattern.compile("\\$\\{([A-Za-z0-9_.-]{1,100})\\}").matcher(value);
        if (ref.matches()) {
            return ref.group(1).equals(name) ? Optional.empty() : xmlProperty(pom, ref.group(1));
        }
        return Optional.of(value);
    }

    private static Optional<String> firstLine(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst();
    }

    private static Optional<String> read(Path dir, String name) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
