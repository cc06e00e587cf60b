package dev.claudedevc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import dev.claudedevc.generate.TreeWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Small helpers for printing results: paths relative to the working folder, JSON outcome objects. */
final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    static void json(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a write did to each file: {@code written} JSON with each file's outcome, or one line per file. */
    static void written(PrintWriter out, List<TreeWriter.Written> written, boolean json) {
        if (json) {
            JsonOption.print(out, "written", Map.of("files", written.stream().map(w -> Map.of(
                    "path", display(w.path()),
                    "outcome", w.outcome().name().toLowerCase(Locale.ROOT))).toList()));
            return;
        }
        for (TreeWriter.Written w : written) {
            out.printf("%-9s %s%n", w.outcome().name().toLowerCase(Locale.ROOT), display(w.path()));
        }
    }

    static String display(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(cwd) && !absolute.equals(cwd) ? cwd.relativize(absolute).toString()
                : absolute.toString();
    }
}
