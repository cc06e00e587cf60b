package dev.claudedevc.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The one {@code --json} option (a picocli mixin: {@code @Mixin JsonOption json;}) and the one shape of every JSON
 * result: a single object whose first key is {@code "outcome"}, a short lower-case word saying how the command
 * ended, followed by the command's own data. A command's outcomes and exit codes agree: a word for success, another
 * for each documented failure it reports with data before it exits non-zero.
 *
 * <p>The outcomes (README, "JSON results"): {@code init}, {@code generate}: {@code written}; {@code generate --check}:
 * {@code up-to-date} | {@code drifted}; {@code validate}: {@code valid} | {@code invalid}; {@code build}:
 * {@code built}; {@code verify}, {@code inspect}: {@code pass} | {@code fail}; {@code audit}: {@code proposals} |
 * {@code nothing-to-propose} | {@code not-in-force}; {@code apply}: {@code applied} | {@code refused} | {@code closed} |
 * {@code stopped} | {@code open}; {@code presets}: {@code ok}; {@code check}: {@code allowed} | {@code denied}. A new command picks its
 * words and adds them here.
 */
final class JsonOption {

    @Option(names = "--json", description = "Print the result as one JSON object: {\"outcome\": ..., then the "
            + "command's data}.")
    boolean enabled;

    /** Whether the result is printed as JSON. */
    boolean enabled() {
        return enabled;
    }

    /**
     * Prints {@code {"outcome": outcome, ...data}}.
     *
     * @throws IllegalArgumentException when the data has its own {@code outcome} key (one outcome per result)
     */
    static void print(PrintWriter out, String outcome, Map<String, ?> data) {
        if (!outcome.matches("[a-z]+(-[a-z]+)*")) {
            throw new IllegalArgumentException("not an outcome word: " + outcome);
        }
        if (data.containsKey("outcome")) {
            throw new IllegalArgumentException("the data has its own outcome: " + data.get("outcome"));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("outcome", outcome);
        result.putAll(data);
        Output.json(out, result);
    }
}
