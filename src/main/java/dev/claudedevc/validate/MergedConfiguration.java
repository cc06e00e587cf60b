package dev.claudedevc.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration the Dev Containers tools actually apply: the image's {@code devcontainer.metadata} label (a
 * JSON array of entries, from the base image and its Features) merged with devcontainer.json, which comes last.
 * Merged as the specification says: {@code privileged} and {@code init} if any entry sets them, {@code capAdd},
 * {@code securityOpt}, {@code mounts}, {@code entrypoint} and the lifecycle commands collected from every entry,
 * users and {@code overrideCommand} from the last entry that sets them, environment variables per name from the
 * last. An official image's label can add {@code SYS_PTRACE} and {@code seccomp=unconfined} even when
 * devcontainer.json asks for neither; this finds them. Kept apart from the commands so {@code validate} and
 * {@code inspect} share it.
 */
public final class MergedConfiguration {

    /** How bad a finding is: HIGH undoes part of the box. */
    public enum Severity { HIGH, MEDIUM }

    /**
     * One finding.
     *
     * @param severity how bad
     * @param source   where the setting comes from ({@code image label entry 2}, {@code devcontainer.json})
     * @param problem  what is wrong, for the user
     */
    public record Finding(Severity severity, String source, String problem) {
        @Override
        public String toString() {
            return severity.name().toLowerCase(Locale.ROOT) + ": " + source + ": " + problem;
        }
    }

    /** The image label the Dev Containers tools merge at every start. */
    public static final String LABEL = "devcontainer.metadata";

    /** The only capabilities the box adds: the firewall's. */
    static final Set<String> ALLOWED_CAPABILITIES = Set.of("NET_ADMIN", "NET_RAW");
    static final List<String> LIFECYCLE = List.of("onCreateCommand", "updateContentCommand", "postCreateCommand",
            "postStartCommand", "postAttachCommand");
    /** Environment that changes what every process runs or loads. */
    static final Set<String> DANGEROUS_ENV = Set.of("PATH", "LD_PRELOAD", "LD_LIBRARY_PATH", "BASH_ENV", "ENV",
            "PROMPT_COMMAND", "NODE_OPTIONS", "PYTHONSTARTUP", "JAVA_TOOL_OPTIONS", "GIT_CONFIG_GLOBAL");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MergedConfiguration() {
    }

    /**
     * Findings for an image label merged with devcontainer.json.
     *
     * @param metadataLabel the image's {@code devcontainer.metadata} label, if it has one
     * @param devcontainer  the parsed devcontainer.json
     */
    /**
     * Whether devcontainer.json itself holds this entry. The Dev Containers CLI records the configuration it builds
     * an image from in that image's label: what equals devcontainer.json's own setting is the box's, not the
     * image's.
     */
    private static boolean contains(JsonNode array, JsonNode entry) {
        for (JsonNode n : array) {
            if (n.equals(entry)) {
                return true;
            }
        }
        return false;
    }

    public static List<Finding> check(Optional<String> metadataLabel, JsonNode devcontainer) {
        List<Finding> findings = new ArrayList<>();
        List<JsonNode> entries = new ArrayList<>();
        if (metadataLabel.isPresent() && !metadataLabel.get().isBlank()) {
            JsonNode label;
            try {
                label = JSON.readTree(metadataLabel.get());
            } catch (JsonProcessingException e) {
                findings.add(new Finding(Severity.HIGH, "image label devcontainer.metadata",
                        "not valid JSON; the Dev Containers tools may read it differently: " + e.getOriginalMessage()));
                label = JSON.createArrayNode();
            }
            if (label.isObject()) {
                entries.add(label);
            } else {
                label.forEach(entries::add);
            }
        }
        int imageEntries = entries.size();
        entries.add(devcontainer);
        String lastRemoteUser = null;
        String lastContainerUser = null;
        Boolean lastOverride = null;
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            boolean fromImage = i < imageEntries;
            String source = fromImage ? "image label devcontainer.metadata entry " + (i + 1)
                    + e.path("id").asText("").transform(id -> id.isEmpty() ? "" : " (" + id + ")")
                    : "devcontainer.json";
            if (e.path("privileged").asBoolean(false)) {
                findings.add(new Finding(Severity.HIGH, source, "privileged: true gives the container every "
                        + "capability and device; the firewall can be undone"));
            }
            e.path("capAdd").forEach(cap -> {
                String name = cap.asText().toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
                if (!ALLOWED_CAPABILITIES.contains(name)) {
                    findings.add(new Finding(Severity.HIGH, source, "capAdd " + cap.asText() + ": only NET_ADMIN and "
                            + "NET_RAW (the firewall's) are expected" + (name.equals("SYS_PTRACE")
                            ? "; SYS_PTRACE lets the agent trace and inject into other processes" : "")));
                }
            });
            e.path("securityOpt").forEach(opt -> {
                String text = opt.asText().replace(':', '=');
                if (text.endsWith("=unconfined") || text.equals("label=disable")
                        || text.startsWith("no-new-privileges=false")) {
                    findings.add(new Finding(Severity.HIGH, source, "securityOpt " + opt.asText()
                            + " turns a kernel confinement off"));
                }
            });
            if (fromImage && e.hasNonNull("entrypoint")) {
                findings.add(new Finding(Severity.HIGH, source, "entrypoint " + e.get("entrypoint").asText()
                        + " runs at every start, as root, before the firewall applies"));
            }
            e.path("mounts").forEach(m -> {
                String text = m.isTextual() ? m.asText() : m.path("source").asText("") + " " + m.path("type").asText("");
                if (text.contains("docker.sock") || text.contains("podman.sock")) {
                    findings.add(new Finding(Severity.HIGH, source, "mounts the container engine's socket ("
                            + text + "): the agent could start an unfirewalled container"));
                } else if (fromImage && (text.contains("type=bind") || text.endsWith(" bind"))
                        && !contains(devcontainer.path("mounts"), m)) {
                    findings.add(new Finding(Severity.MEDIUM, source, "mounts a host folder (" + text + ")"));
                }
            });
            if (fromImage) {
                for (String command : LIFECYCLE) {
                    if (e.hasNonNull(command) && !e.get(command).equals(devcontainer.get(command))) {
                        findings.add(new Finding(Severity.HIGH, source, command + " from the image runs too, "
                                + "as the user, and is not the box's (" + e.get(command).toString() + ")"));
                    }
                }
                for (String env : List.of("containerEnv", "remoteEnv")) {
                    e.path(env).fieldNames().forEachRemaining(name -> {
                        if (DANGEROUS_ENV.contains(name)
                                && !e.path(env).get(name).equals(devcontainer.path(env).get(name))) {
                            findings.add(new Finding(Severity.HIGH, source, env + "." + name
                                    + " from the image changes what processes run or load"));
                        }
                    });
                }
            }
            if (e.hasNonNull("remoteUser")) {
                lastRemoteUser = e.get("remoteUser").asText();
            }
            if (e.hasNonNull("containerUser")) {
                lastContainerUser = e.get("containerUser").asText();
            }
            if (e.has("overrideCommand")) {
                lastOverride = e.get("overrideCommand").asBoolean(true);
            }
        }
        if (lastRemoteUser != null && DevcontainerCheck.isRoot(lastRemoteUser)) {
            findings.add(new Finding(Severity.HIGH, "merged", "remoteUser is root"));
        }
        if (lastContainerUser != null && DevcontainerCheck.isRoot(lastContainerUser)) {
            findings.add(new Finding(Severity.HIGH, "merged", "containerUser is root"));
        }
        if (lastOverride == null || lastOverride) {
            findings.add(new Finding(Severity.HIGH, "merged", "overrideCommand is not false: the image's entrypoint, "
                    + "which applies the firewall at every start, would be skipped"));
        }
        return findings;
    }

    /** Whether a Dockerfile's last stage resets the label to an empty list (what the generated one does). */
    public static boolean resetsLabel(String dockerfile) {
        String last = dockerfile.substring(Math.max(0, dockerfile.lastIndexOf("\nFROM ")));
        return last.lines().anyMatch(l -> l.strip().equals("LABEL " + LABEL + "=\"[]\""));
    }

    /**
     * Folders on root's command search path that the agent's user can write: a command planted there runs when
     * root (the IDE, tooling) runs that tool.
     *
     * @param writable the folders of root's PATH that a probe as the user found writable (or not root-owned)
     */
    public static List<Finding> rootPath(List<String> writable) {
        return writable.stream().map(dir -> new Finding(Severity.HIGH, "image PATH", dir
                + " is on root's PATH and the agent's user can write it (or it is not root-owned): a planted "
                + "command there runs as root")).toList();
    }
}
