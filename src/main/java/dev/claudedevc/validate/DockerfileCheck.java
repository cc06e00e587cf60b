package dev.claudedevc.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.claudedevc.model.ImageLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the box needs from the rendered Dockerfile's last stage: the entrypoint that applies the firewall at every
 * start, and a non-root user, so that neither a start nor a plain {@code docker exec} runs unguarded or as root.
 */
public final class DockerfileCheck {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DockerfileCheck() {
    }

    /** One instruction: its keyword (upper case) and its arguments, continuation lines joined. */
    record Instruction(String keyword, String args) {
    }

    /** @return problems, one line each (empty when fine) */
    public static List<String> structure(String dockerfile) {
        List<Instruction> stage = lastStage(instructions(dockerfile));
        List<String> problems = new ArrayList<>();
        Optional<Instruction> entrypoint = last(stage, "ENTRYPOINT");
        String expected = "[\"" + ImageLayout.ENTRYPOINT + "\"]";
        if (entrypoint.isEmpty() || !isExactly(entrypoint.get().args(), ImageLayout.ENTRYPOINT)) {
            problems.add("the last stage's ENTRYPOINT must be " + expected + " (is "
                    + entrypoint.map(Instruction::args).orElse("unset") + "): it applies the firewall at every start");
        }
        String user = last(stage, "USER").map(Instruction::args).orElse("root").strip();
        if (DevcontainerCheck.isRoot(user)) {
            problems.add("the last stage's USER must be the non-root user (is " + user
                    + "): a docker exec without -u would run as root");
        }
        return problems;
    }

    /**
     * The images the Dockerfile builds FROM that must exist locally: each {@code FROM} that is neither
     * {@code scratch} nor an earlier stage, with {@code ${NAME}}/{@code $NAME} of a build arg resolved from
     * {@code buildArgs} or the ARG's default before the first FROM. A reference still holding a variable is left out.
     */
    public static List<String> baseImages(String dockerfile, java.util.Map<String, String> buildArgs) {
        java.util.Map<String, String> args = new java.util.HashMap<>();
        List<String> stages = new ArrayList<>();
        List<String> images = new ArrayList<>();
        boolean seenFrom = false;
        for (Instruction i : instructions(dockerfile)) {
            if (i.keyword().equals("ARG") && !seenFrom) {
                String[] kv = i.args().split("=", 2);
                args.put(kv[0].strip(), kv.length == 2 ? kv[1].strip() : "");
            } else if (i.keyword().equals("FROM")) {
                seenFrom = true;
                String[] words = i.args().split("\\s+");
                int at = 0;
                while (at < words.length && words[at].startsWith("--")) {
                    at++; // --platform=…
                }
                if (at >= words.length) {
                    continue;
                }
                String ref = words[at];
                for (var e : args.entrySet()) {
                    String value = buildArgs.getOrDefault(e.getKey(), e.getValue());
                    ref = ref.replace("${" + e.getKey() + "}", value).replace("$" + e.getKey(), value);
                }
                boolean earlierStage = stages.contains(ref.toLowerCase(Locale.ROOT));
                if (!ref.contains("$") && !ref.equalsIgnoreCase("scratch") && !earlierStage && !images.contains(ref)) {
                    images.add(ref);
                }
                if (words.length >= at + 3 && words[at + 1].equalsIgnoreCase("AS")) {
                    stages.add(words[at + 2].toLowerCase(Locale.ROOT));
                }
            }
        }
        return images;
    }

    private static boolean isExactly(String args, String path) {
        try {
            JsonNode node = JSON.readTree(args);
            return node != null && node.isArray() && node.size() == 1 && path.equals(node.get(0).asText(null));
        } catch (JsonProcessingException e) {
            return false; // the shell form runs through /bin/sh -c and ignores CMD
        }
    }

    private static Optional<Instruction> last(List<Instruction> stage, String keyword) {
        Instruction found = null;
        for (Instruction i : stage) {
            if (i.keyword().equals(keyword)) {
                found = i;
            }
        }
        return Optional.ofNullable(found);
    }

    private static List<Instruction> lastStage(List<Instruction> all) {
        int from = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return all.subList(from, all.size());
    }

    /** Instructions in order; comment lines dropped, backslash continuations joined. */
    static List<Instruction> instructions(String dockerfile) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : dockerfile.split("\n", -1)) {
            String line = raw.stripTrailing();
            if (line.stripLeading().startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String text = current.toString().strip();
            current.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            int space = text.indexOf(' ');
            String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
            out.add(new Instruction(keyword, space < 0 ? "" : text.substring(space + 1).strip()));
        }
        return out;
    }
}
