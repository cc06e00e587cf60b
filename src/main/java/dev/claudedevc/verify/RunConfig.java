package dev.claudedevc.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.claudedevc.ClaudeDevcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a dev container runs the image, as far as the firewall cares, read from {@code devcontainer.json}: the
 * capabilities and sysctls in {@code runArgs}, whether the image's entrypoint (which applies the firewall) runs, and
 * the {@code postStartCommand} that waits for it. Other
 * {@code runArgs} do not change what the firewall sees and are ignored.
 *
 * @param capAdd          capabilities to add, e.g. {@code NET_ADMIN}
 * @param sysctls         sysctls to set
 * @param firewallCommand the post-start command as an argument list ({@code /bin/sh -c …} for a string); empty
 *                        when there is none (then nothing applies the firewall at container start)
 * @param imageEntrypoint whether the image's entrypoint runs at start ({@code "overrideCommand": false}); when
 *                        not, the Dev Containers tooling replaces it and nothing applies the firewall
 * @param source          where this came from, for the progress log
 */
public record RunConfig(List<String> capAdd, Map<String, String> sysctls, List<String> firewallCommand,
        boolean imageEntrypoint, String source) {

    /** What the generated devcontainer.json says; used when there is none. */
    public static final RunConfig DEFAULT = new RunConfig(List.of("NET_ADMIN", "NET_RAW"), Map.of(),
            ProbeMatrix.FIREWALL_COMMAND, true, "built-in defaults");

    private static final Pattern CAP = Pattern.compile("(?:CAP_)?([A-Z][A-Z_]{1,31})");
    private static final Pattern SYSCTL = Pattern.compile("([a-z0-9_]+(?:\\.[a-zA-Z0-9_-]+)+)=([A-Za-z0-9_.:/-]{0,64})");

    public RunConfig {
        capAdd = List.copyOf(capAdd);
        sysctls = Map.copyOf(sysctls);
        firewallCommand = List.copyOf(firewallCommand);
        Objects.requireNonNull(source, "source");
    }

    /**
     * Reads {@code devcontainer.json} (JSON with comments); {@link #DEFAULT} when the file does not exist.
     *
     * @throws ClaudeDevcException {@code INVALID_OUTPUT} when it cannot be read
     */
    public static RunConfig read(Path devcontainerJson) {
        String text;
        try {
            text = Files.readString(devcontainerJson);
        } catch (NoSuchFileException e) {
            return DEFAULT;
        } catch (IOException e) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, "cannot read " + devcontainerJson + ": "
                    + e.getMessage(), e);
        }
        return parse(text, devcontainerJson.toString());
    }

    static RunConfig parse(String json, String source) {
        JsonNode root;
        try {
            root = JsonMapper.builder()
                    .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA)
                    .build().readTree(json);
        } catch (JsonProcessingException e) {
            throw invalid(source, "not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid(source, "not a JSON object");
        }
        List<String> caps = new ArrayList<>();
        Map<String, String> sysctls = new LinkedHashMap<>();
        JsonNode runArgs = root.path("runArgs");
        if (runArgs.isArray()) {
            List<String> args = new ArrayList<>();
            runArgs.forEach(a -> args.add(a.asText()));
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                String value = null;
                String option = arg;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    option = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                if (!option.equals("--cap-add") && !option.equals("--sysctl")) {
                    continue;
                }
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw invalid(source, "runArgs: " + option + " without a value");
                    }
                    value = args.get(++i);
                }
                if (option.equals("--cap-add")) {
                    var m = CAP.matcher(value.toUpperCase(java.util.Locale.ROOT));
                    if (!m.matches()) {
                        throw invalid(source, "runArgs: not a capability: " + value);
                    }
                    caps.add(m.group(1));
                } else {
                    var m = SYSCTL.matcher(value);
                    if (!m.matches()) {
                        throw invalid(source, "runArgs: not a sysctl setting: " + value);
                    }
                    sysctls.put(m.group(1), m.group(2));
                }
            }
        }
        // The Dev Containers tooling replaces the image's entrypoint unless overrideCommand is false.
        boolean imageEntrypoint = root.path("overrideCommand").isBoolean() && !root.path("overrideCommand").asBoolean();
        return new RunConfig(caps, sysctls, postStart(root.path("postStartCommand"), source), imageEntrypoint,
                source);
    }

    /** A string runs through {@code /bin/sh -c}, an array as is, an object's commands one after another. */
    private static List<String> postStart(JsonNode node, String source) {
        if (node.isTextual() && !node.asText().isBlank()) {
            return List.of("/bin/sh", "-c", node.asText());
        }
        if (node.isArray() && node.size() > 0) {
            List<String> command = new ArrayList<>();
            node.forEach(a -> command.add(a.asText()));
            return command;
        }
        if (node.isObject() && node.size() > 0) {
            StringBuilder script = new StringBuilder("set -e");
            List<String> args = new ArrayList<>();
            Iterator<JsonNode> values = node.elements();
            while (values.hasNext()) {
                JsonNode value = values.next();
                if (value.isTextual()) {
                    script.append("; /bin/sh -c \"$").append(args.size() + 1).append('"');
                    args.add(value.asText());
                } else {
                    throw invalid(source, "postStartCommand: only string commands are supported in an object");
                }
            }
            List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", script.toString(), "sh"));
            command.addAll(args);
            return command;
        }
        return List.of(); // no post-start command: the firewall never runs, which the firewall probe reports
    }

    private static ClaudeDevcException invalid(String source, String reason) {
        return new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_OUTPUT, source + ": " + reason);
    }
}
