package dev.claudedevc.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one list of workspace paths the agent must not write: files and folders that a host runs or trusts (the
 * next container start, the next {@code generate}, a host git or IDE). The generated devcontainer.json mounts each
 * read-only over the writable workspace, Claude Code's managed settings deny edits to them, and
 * {@code claude-devc inspect} checks each is read-only in a running container.
 *
 * <p>Paths are relative to the workspace root, with {@code /} separators; a folder ends with {@code /}.
 * Required paths cannot be dropped; optional ones (a project's {@code .vscode/}, {@code .claude/}) can, with a
 * warning. Whether a path exists is decided at container start (the generated host step creates empty
 * placeholders), never when files are generated, so the generated files do not depend on the machine.
 *
 * @param entries  every protected path, in a fixed order (output folder, descriptor, git, optional, added)
 * @param warnings one sentence per optional path the descriptor left writable
 */
public record ProtectedPaths(List<Entry> entries, List<String> warnings) {

    /**
     * Git config keys (lower case, as {@code git config --name-only --list} prints them) that make git, or an IDE
     * running git, execute a program, read other config, or hand out credentials: an extended regular expression
     * for {@code grep -E}, used by the host step and by {@code inspect} on nested repositories' config.
     */
    public static final String DANGEROUS_GIT_KEYS = "^(core\\.(fsmonitor|hookspath|sshcommand|pager|editor|askpass|"
            + "gitproxy|worktree)|diff\\.external|diff\\..*\\.(command|textconv)|difftool\\..*|merge\\..*\\.driver|"
            + "mergetool\\..*|filter\\..*|credential\\..*|include\\.path|includeif\\..*|pager\\..*|sequence\\.editor|"
            + "gpg\\..*program|uploadpack\\..*|receive\\..*hook.*|remote\\..*\\.(uploadpack|receivepack|proxy)|"
            + "protocol\\..*|http\\..*|alias\\..*|extensions\\.worktreeconfig|init\\.templatedir|ssh\\..*)$";

    /** The output folder when the descriptor names none. */
    public static final String DEFAULT_OUTPUT = ".devcontainer";

    /**
     * One protected path.
     *
     * @param path     relative to the workspace; a folder ends with {@code /}
     * @param required whether a descriptor may leave it writable
     * @param why      what would run or be trusted on the host if the agent could change it
     */
    public record Entry(String path, boolean required, String why) {
        public Entry {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(why, "why");
        }

        public boolean directory() {
            return path.endsWith("/");
        }

        /** The path without a trailing {@code /}. */
        public String name() {
            return directory() ? path.substring(0, path.length() - 1) : path;
        }

        /** Whether it lies in the repository's {@code .git} folder. */
        public boolean inGitDir() {
            return path.startsWith(".git/");
        }
    }

    /** The git paths a host's git reads and runs (hooks, config and what it includes), in the repository's .git. */
    public static final List<Entry> GIT = List.of(
            new Entry(".git/config", true, "core.fsmonitor, core.hooksPath, core.sshCommand, core.pager, "
                    + "diff.external, filter.*, credential.helper and include.path run commands for every git the host runs"),
            new Entry(".git/config.worktree", true, "read like .git/config when extensions.worktreeConfig is set"),
            new Entry(".git/hooks/", true, "hooks run on the host's commit, checkout, merge and push"),
            new Entry(".git/info/attributes", true, "selects filter and diff drivers that run commands"),
            new Entry(".git/modules/", true, "submodules' own config and hooks"));

    /** Optional: editors on the host read them when the folder is opened locally. */
    public static final List<Entry> OPTIONAL = List.of(
            new Entry(".vscode/", false, "tasks.json with runOn: folderOpen runs on the host when the folder is "
                    + "opened locally; settings.json and launch.json name programs to run"),
            new Entry(".claude/", false, "settings.json can widen Claude Code's permissions for the next session "
                    + "(the image's managed settings override it)"));

    public ProtectedPaths {
        entries = List.copyOf(entries);
        warnings = List.copyOf(warnings);
    }

    /** The default list: the output folder, the descriptor, the git paths and the optional paths. */
    public static ProtectedPaths defaults(String outputDir, String descriptorFile) {
        return of(outputDir, descriptorFile, List.of(), List.of());
    }

    /**
     * The list for a descriptor.
     *
     * @param outputDir      the folder claude-devc renders into (e.g. {@code .devcontainer})
     * @param descriptorFile the descriptor's path relative to the workspace
     * @param readOnly       more paths to protect (a folder ends with {@code /})
     * @param writable       optional paths to leave writable
     * @throws IllegalArgumentException when {@code writable} names a required path or one that is not protected
     */
    public static ProtectedPaths of(String outputDir, String descriptorFile, List<String> readOnly,
            List<String> writable) {
        Map<String, Entry> byName = new LinkedHashMap<>();
        String output = outputDir.endsWith("/") ? outputDir : outputDir + "/";
        put(byName, new Entry(output, true, "devcontainer.json's initializeCommand runs on the host at the next "
                + "start; runArgs, mounts, the Dockerfile and the firewall take effect at the next rebuild"));
        // The IDE's own configuration folder, whether or not claude-devc renders into it: a project's own
        // devcontainer.json beside ours has an initializeCommand too.
        put(byName, new Entry(DEFAULT_OUTPUT + "/", true, "a devcontainer.json in it runs its initializeCommand on "
                + "the host when the folder is opened"));
        put(byName, new Entry(descriptorFile, true, "the next claude-devc generate renders the container and its "
                + "allowlist from it"));
        GIT.forEach(e -> put(byName, e));
        List<String> warnings = new ArrayList<>();
        for (Entry optional : OPTIONAL) {
            if (writable.contains(optional.name()) || writable.contains(optional.path())) {
                warnings.add(optional.path() + " is left writable (workspace.writable): " + optional.why()
                        + "; the agent can change it");
            } else {
                put(byName, optional);
            }
        }
        for (String w : writable) {
            String key = w.endsWith("/") ? w.substring(0, w.length() - 1) : w;
            if (OPTIONAL.stream().noneMatch(o -> o.name().equals(key))) {
                Entry required = byName.get(key);
                throw new IllegalArgumentException(required != null && required.required()
                        ? "'" + w + "' must stay read-only: " + required.why()
                        : "'" + w + "' is not an optional protected path (optional: "
                                + String.join(", ", OPTIONAL.stream().map(Entry::path).toList()) + ")");
            }
        }
        for (String path : readOnly) {
            put(byName, new Entry(path, true, "listed in the descriptor's workspace.readOnly"));
        }
        return new ProtectedPaths(List.copyOf(byName.values()), warnings);
    }

    /** Adds an entry unless it is, or lies in, a folder already protected (a mount over it would add nothing). */
    private static void put(Map<String, Entry> byName, Entry entry) {
        for (Entry e : byName.values()) {
            if (e.name().equals(entry.name()) || (e.directory() && entry.path().startsWith(e.path()))) {
                return;
            }
        }
        byName.put(entry.name(), entry);
    }

    /** The paths, relative to the workspace (folders end with {@code /}). */
    public List<String> paths() {
        return entries.stream().map(Entry::path).toList();
    }

    /** The protected path whose name is {@code path} (with or without a trailing {@code /}), if any. */
    public java.util.Optional<Entry> find(String path) {
        String key = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return entries.stream().filter(e -> e.name().equals(key)).findFirst();
    }
}
