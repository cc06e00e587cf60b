package dev.claudedevc.validate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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
import dev.claudedevc.model.StartupVariables;
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
                    + dev.claudedevc.descriptor.ParserMessages.plain(e.getOriginalMessage()));
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
        if (!runArgs.contains(dev.claudedevc.generate.Generator.UNPRIVILEGED_PORTS)) {
            problems.add("runArgs lacks " + dev.claudedevc.generate.Generator.UNPRIVILEGED_PORTS + " (without it the "
                    + "agent's user can bind port 53 beside the firewall's resolver and swallow its queries)");
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
     * Refuses loader, shell and interpreter start-up variables ({@link StartupVariables}) in the top-level
     * {@code containerEnv} and {@code remoteEnv}: a team template could set them, and they reach root's processes.
     *
     * @return problems, one line each, located: {@code LINE:COLUMN: containerEnv.NAME: reason}
     */
    public static List<String> environment(String text) {
        List<String> problems = new ArrayList<>();
        try (JsonParser parser = JSONC.getFactory().createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return problems;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                JsonToken value = parser.nextToken();
                if ((key.equals("containerEnv") || key.equals("remoteEnv")) && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        var at = parser.currentTokenLocation();
                        // Set to "" is how a variable is emptied (the IDE's forwarded helpers): that is fine.
                        boolean emptied = parser.nextToken() == JsonToken.VALUE_STRING && parser.getText().isEmpty();
                        if (!emptied) {
                            StartupVariables.refusal(name).ifPresent(reason -> problems.add(at.getLineNr() + ":"
                                    + at.getColumnNr() + ": " + key + "." + name + ": " + reason));
                        }
                        parser.skipChildren();
                    }
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            // Syntax errors are reported by parse(), which ran first.
        }
        return problems;
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
        // The schema and every schema it refers to load through the same bounded reader (regular files only,
        // capped, URLs with timeouts); a relative $ref resolves against the referring schema's own location.
        com.networknt.schema.resource.ResourceLoader bounded = iri -> {
            String uri = iri.toString();
            return uri.startsWith("file:") || uri.startsWith("http://") || uri.startsWith("https://")
                    ? () -> open(uri) : null;
        };
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09,
                builder -> builder.schemaLoader(loader -> loader.resourceLoaders(r -> r.values(l -> l.add(0, bounded)))));
        String base = schemaLocation.startsWith("http://") || schemaLocation.startsWith("https://")
                || schemaLocation.startsWith("file:") ? schemaLocation
                        : Path.of(schemaLocation).toAbsolutePath().normalize().toUri().toString();
        try {
            schema = registry.getSchema(com.networknt.schema.SchemaLocation.of(base));
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof ClaudeDevcException c) {
                    throw c; // the bounded reader's own message (not a regular file, too large, no answer)
                }
            }
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO,
                    "cannot load the schema " + schemaLocation + ": " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        try {
            for (Error error : schema.validate(json)) {
                problems.add(error.toString());
            }
        } catch (RuntimeException e) {
            // A $ref the validator cannot load (a remote schema, offline; a relative one it cannot place).
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof ClaudeDevcException c) {
                    throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, "cannot use the schema "
                            + schemaLocation + ": a schema it refers to ($ref) cannot be loaded: " + c.getMessage(), c);
                }
            }
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, "cannot use the schema " + schemaLocation
                    + ": a schema it refers to ($ref) cannot be loaded (" + cause.getClass().getSimpleName() + ": "
                    + String.valueOf(cause.getMessage()).lines().findFirst().orElse("") + "); use a schema whose"
                    + " references are all inside it, such as devContainer.base.schema.json", e);
        }
        return problems;
    }

    /** A schema file is never this large. */
    static final long MAX_SCHEMA_BYTES = 8L * 1024 * 1024;

    /** The schema's bytes: a regular file or a URL (with timeouts), bounded; see {@link dev.claudedevc.BoundedFiles}. */
    private static InputStream open(String location) throws IOException {
        byte[] bytes = location.startsWith("http://") || location.startsWith("https://")
                ? dev.claudedevc.BoundedFiles.read(URI.create(location), MAX_SCHEMA_BYTES, ClaudeDevcException.Kind.IO)
                : location.startsWith("file:")
                        ? dev.claudedevc.BoundedFiles.read(Path.of(URI.create(location)), MAX_SCHEMA_BYTES,
                                ClaudeDevcException.Kind.IO, Path.of(URI.create(location)).toString())
                        : dev.claudedevc.BoundedFiles.read(Path.of(location), MAX_SCHEMA_BYTES,
                                ClaudeDevcException.Kind.IO, location);
        return new java.io.ByteArrayInputStream(bytes);
    }
}
