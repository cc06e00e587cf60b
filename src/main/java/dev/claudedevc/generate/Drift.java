package dev.claudedevc.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares a rendered tree with the files on disk: what {@code generate --check} reports, as unified diffs
 * ({@code a/} is what is committed, {@code b/} what the descriptor renders).
 */
public final class Drift {

    private static final int CONTEXT = 3;

    private Drift() {
    }

    /**
     * One drifted file.
     *
     * @param path relative path below the output folder
     * @param diff a unified diff, or a one-line explanation for missing files and mode changes
     */
    public record Difference(String path, String diff) {
    }

    public static List<Difference> check(Path root, GeneratedTree tree) {
        List<Difference> out = new ArrayList<>();
        for (GeneratedFile file : tree.files()) {
            Path disk = root.resolve(file.path());
            if (!Files.isRegularFile(disk)) {
                out.add(new Difference(file.path(), "missing: " + file.path() + " (run claude-devc generate)\n"));
                continue;
            }
            try {
                byte[] actual = Files.readAllBytes(disk);
                if (!file.sameContent(actual)) {
                    out.add(new Difference(file.path(), unified(file.path(),
                            new String(actual, StandardCharsets.UTF_8), file.text())));
                } else if (file.executable() && !Files.isExecutable(disk)) {
                    out.add(new Difference(file.path(), "mode: " + file.path() + " should be executable (0755)\n"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /**
     * A unified diff of two texts, with {@value #CONTEXT} lines of context, as GNU {@code diff -u} prints it:
     * within a change, deletions come before insertions, and a last line without a line feed is marked
     * {@code \ No newline at end of file}. Empty when the texts are equal.
     */
    static String unified(String path, String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        if (a.equals(b)) {
            return "";
        }
        // Longest common subsequence table, from the end (files here are small).
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Edit> edits = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                edits.add(new Edit(' ', i++, j++));
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                edits.add(new Edit('-', i++, j));
            } else {
                edits.add(new Edit('+', i, j++));
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("--- a/").append(path).append('\n').append("+++ b/").append(path).append('\n');
        int k = 0;
        while (k < edits.size()) {
            if (edits.get(k).op() == ' ') {
                k++;
                continue;
            }
            // A hunk: CONTEXT lines before its first change and after its last; changes with at most
            // 2 * CONTEXT unchanged lines between them share a hunk.
            int start = Math.max(0, k - CONTEXT);
            int lastChange = k;
            for (int e = k + 1; e < edits.size() && e - lastChange <= 2 * CONTEXT + 1; e++) {
                if (edits.get(e).op() != ' ') {
                    lastChange = e;
                }
            }
            int end = Math.min(edits.size(), lastChange + CONTEXT + 1);
            int aCount = 0;
            int bCount = 0;
            StringBuilder body = new StringBuilder();
            for (Edit edit : edits.subList(start, end)) {
                String line = edit.op() == '+' ? b.get(edit.b()) : a.get(edit.a());
                body.append(edit.op()).append(line);
                if (!line.endsWith("\n")) {
                    body.append("\n\\ No newline at end of file\n");
                }
                aCount += edit.op() == '+' ? 0 : 1;
                bCount += edit.op() == '-' ? 0 : 1;
            }
            out.append("@@ -").append(range(edits.get(start).a(), aCount)).append(" +")
                    .append(range(edits.get(start).b(), bCount)).append(" @@\n").append(body);
            k = end;
        }
        return out.toString();
    }

    /** One line of the edit script: {@code ' '} kept, {@code '-'} deleted from a, {@code '+'} inserted from b. */
    private record Edit(char op, int a, int b) {
    }

    private static String range(int start, int count) {
        int first = count == 0 ? start : start + 1;
        return count == 1 ? String.valueOf(first) : first + "," + count;
    }

    /** The lines of {@code text}, each with its line feed (the last one may have none). */
    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int lf = text.indexOf('\n', from);
            int to = lf < 0 ? text.length() : lf + 1;
            lines.add(text.substring(from, to));
            from = to;
        }
        return lines;
    }
}
