package dev.claudedevc.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.model.ImageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a devcontainer.json (JSONC: comments and trailing commas allowed) for what the firewall relies on, and
 * optionally against the official Dev Container JSON schema.
 */
public final class DevcontainerCheck {

    private static final JsonMapper JSONC = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    private DevcontainerCheck() {
    }

    /** Parses JSONC, failing with INVALID_OUTPUT and the position of the syntax error. */
    public static JsonNode parse(String text, String origin) {
        try {
            return JSONC.readTree(text);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_OUTPUT, origin + ":"
                    + (where == null ? "" : where.getLineNr() + ":" + where.getColumnNr() + ":") + " not valid JSONC: "
                    + e.getOriginalMessage());
        }
    }

    /**
     * What the firewall needs from devcontainer.json: the capabilities, a non-root user, the image's entrypoint
     * kept (it applies the firewall), and the start waiting for it.
     *
     * @return problems, one line each (empty when fine)
     */
    public static List<String> structure(JsonNode json) {
        List<String> problems = new ArrayList<>();
        if (!json.isObject()) {
            problems.add("the top level is not an object");
            return problems;
        }
        if (!json.path("build").path("dockerfile").isTextual() && !json.path("image").isTextual()) {
            problems.add("neither build.dockerfile nor image is set");
        }
        List<String> runArgs = new ArrayList<>();
        json.path("runArgs").forEach(a -> runArgs.add(a.asText()));
        for (String cap : List.of("NET_ADMIN", "NET_RAW")) {
            if (!runArgs.contains("--cap-add=" + cap)
                    && !(runArgs.contains("--cap-add") && runArgs.get(runArgs.indexOf("--cap-add") + 1).equals(cap))) {
                problems.add("runArgs lacks --cap-add=" + cap + " (the firewall cannot be applied without it)");
            }
        }
        // What defeats the firewall or the read-only mounts (privileged, host network, ...): BoundaryCheck.
        String remoteUser = json.path("remoteUser").asText("");
        if (remoteUser.isEmpty() || isRoot(remoteUser)) {
            problems.add("remoteUser must be a non-root user (is '" + remoteUser + "')");
        }
        JsonNode containerUser = json.path("containerUser");
        if (!containerUser.isMissingNode() && !containerUser.asText("").equals(remoteUser)) {
            problems.add("containerUser must be the same non-root user as remoteUser (is " + containerUser
                    + "): the container's processes, and every docker exec without -u, run as it");
        }
        if (json.has("dockerComposeFile")) {
            problems.add("dockerComposeFile: a Compose configuration ignores runArgs, init and the start checks; "
                    + "claude-devc generates a Dockerfile configuration");
        }
        for (String hook : List.of("onCreateCommand", "updateContentCommand", "postCreateCommand")) {
            JsonNode command = json.path(hook);
            if (!command.isMissingNode() && !startsWithTheWait(command)) {
                problems.add(hook + ": runs before postStartCommand's wait, possibly before the firewall is in force "
                        + "(a connection it opens then would be cut, but what it sends would be out): start it with \""
                        + ImageLayout.WAIT_COMMAND + " && \" and chain the rest with && only, or do the work in the "
                        + "Dockerfile");
            }
        }
        JsonNode override = json.path("overrideCommand");
        if (!override.isBoolean() || override.booleanValue()) {
            problems.add("overrideCommand must be false (is " + (override.isMissingNode() ? "unset, which means true"
                    : override.toString()) + "): the image's ENTRYPOINT applies the firewall at every start, and "
                    + "an overriding command skips it");
        }
        if (!waitsForTheFirewall(json.path("postStartCommand"))) {
            problems.add("postStartCommand must be exactly \"" + ImageLayout.WAIT_COMMAND + "\" (or an object with "
                    + "that command among its entries): otherwise nothing fails the start when the firewall is not "
                    + "in force");
        }
        if (!json.path("userEnvProbe").asText("").equals("none")) {
            problems.add("userEnvProbe must be \"none\" (is " + (json.path("userEnvProbe").isMissingNode()
                    ? "unset, which means loginInteractiveShell" : json.path("userEnvProbe").toString())
                    + "): a probe runs the agent-writable shell start-up files and hands their environment to the "
                    + "lifecycle commands, the firewall's wait among them");
        }
        if (!json.path("waitFor").asText("").equals("postStartCommand")) {
            problems.add("waitFor is not postStartCommand (tools could start before the firewall is up)");
        }
        return problems;
    }

    /** root by name or by uid ({@code 0}, {@code 00}, {@code 0:0}). */
    static boolean isRoot(String user) {
        String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        return name.equals("root") || name.matches("0+");
    }

    /** A shell command string (or each entry of the object form) that begins with the wait and {@code &&}. */
    private static boolean startsWithTheWait(JsonNode command) {
        // Only && may follow: a ; newline, || or a lone & would run what comes after it whether the wait passed.
        java.util.function.Predicate<JsonNode> guarded = n -> n.isTextual()
                && n.asText().startsWith(ImageLayout.WAIT_COMMAND + " && ")
                && !n.asText().replace("&&", "").matches("(?s).*[;&\\n\\r].*") && !n.asText().contains("||");
        if (command.isObject()) {
            for (JsonNode entry : command) {
                if (!guarded.test(entry)) {
                    return false;
                }
            }
            return command.size() > 0;
        }
        return guarded.test(command);
    }

    /**
     * The wait, exactly: as the string, the argument array, or one entry of the object form (whose entries run in
     * parallel, and each failure fails the start). Anything around it in a string could skip it or mask its exit.
     */
    private static boolean waitsForTheFirewall(JsonNode postStart) {
        List<String> argv = List.of(ImageLayout.WAIT_COMMAND.split(" "));
        java.util.function.Predicate<JsonNode> exact = n -> (n.isTextual() && n.asText().equals(ImageLayout.WAIT_COMMAND))
                || (n.isArray() && n.size() == argv.size()
                        && java.util.stream.IntStream.range(0, argv.size()).allMatch(i -> argv.get(i).equals(n.get(i).asText())));
        if (postStart.isObject()) {
            for (JsonNode entry : postStart) {
                if (exact.test(entry)) {
                    return true;
                }
            }
            return false;
        }
        return exact.test(postStart);
    }

    /**
     * Validates against a JSON schema given as a file path or an http(s)/file URL.
     *
     * @return violations, one line each (JSON pointer and message)
     */
    public static List<String> schema(JsonNode json, String schemaLocation) {
        Schema schema;
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09);
        try (InputStream in = open(schemaLocation)) {
            schema = registry.getSchema(in, InputFormat.JSON);
        } catch (IOException | RuntimeException e) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO,
                    "cannot load the schema " + schemaLocation + ": " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(json)) {
            problems.add(error.toString());
        }
        return problems;
    }

    private static InputStream open(String location) throws IOException {
        if (location.startsWith("http://") || location.startsWith("https://") || location.startsWith("file:")) {
            return URI.create(location).toURL().openStream();
        }
        return Files.newInputStream(Path.of(location));
    }
}
