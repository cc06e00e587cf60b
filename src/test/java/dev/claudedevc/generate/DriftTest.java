package dev.claudedevc.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code generate --check}'s diffs read like {@code diff -u}'s (expected hunks below are GNU diffutils' output for
 * the same edits), and applying one to the committed file gives exactly what the descriptor renders.
 */
class DriftTest {

    private static final String HEADER = "--- a/f\n+++ b/f\n";

    @Test
    void aChangedLineIsOneHunkWithThreeLinesOfContextDeletionFirst() {
        assertEquals(HEADER + """
                @@ -2,7 +2,7 @@
                 2
                 3
                 4
                -5
                +five
                 6
                 7
                 8
                """, Drift.unified("f", numbers(1, 10), numbers(1, 10).replace("\n5\n", "\nfive\n")));
    }

    @Test
    void anInsertionAtTheStartAndADeletionAtTheEndAreTwoHunks() {
        assertEquals(HEADER + """
                @@ -1,3 +1,4 @@
                +0
                 1
                 2
                 3
                @@ -7,4 +8,3 @@
                 7
                 8
                 9
                -10
                """, Drift.unified("f", numbers(1, 10), numbers(0, 9)));
    }

    @Test
    void changesSixUnchangedLinesApartShareAHunkAndSevenApartDoNot() {
        String before = numbers(1, 20);
        assertEquals(HEADER + """
                @@ -1,13 +1,13 @@
                 1
                 2
                -3
                +three
                 4
                 5
                 6
                 7
                 8
                 9
                -10
                +ten
                 11
                 12
                 13
                """, Drift.unified("f", before, before.replace("\n3\n", "\nthree\n").replace("\n10\n", "\nten\n")));
        assertEquals(HEADER + """
                @@ -1,6 +1,6 @@
                 1
                 2
                -3
                +three
                 4
                 5
                 6
                @@ -8,7 +8,7 @@
                 8
                 9
                 10
                -11
                +eleven
                 12
                 13
                 14
                """, Drift.unified("f", before, before.replace("\n3\n", "\nthree\n").replace("\n11\n", "\neleven\n")));
    }

    @Test
    void aMissingFinalLineFeedIsShownNotSwallowed() {
        assertEquals(HEADER + """
                @@ -1,3 +1,3 @@
                 1
                 2
                -3
                \\ No newline at end of file
                +3
                """, Drift.unified("f", "1\n2\n3", "1\n2\n3\n"));
    }

    @Test
    void emptyFilesUseLineZero() {
        assertEquals(HEADER + "@@ -0,0 +1,2 @@\n+a\n+b\n", Drift.unified("f", "", "a\nb\n"));
        assertEquals(HEADER + "@@ -1,2 +0,0 @@\n-a\n-b\n", Drift.unified("f", "a\nb\n", ""));
        assertEquals("", Drift.unified("f", "same\n", "same\n"));
    }

    @Test
    void applyingTheDiffToTheCommittedFileGivesTheRenderedOne() {
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            String before = randomText(random);
            String after = edit(before, random);
            String diff = Drift.unified("f", before, after);
            assertEquals(after, apply(before, diff), "round " + round + ":\n" + before + "=>\n" + after + diff);
            assertEquals(before.equals(after), diff.isEmpty(), diff);
        }
    }

    private static String numbers(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> i + "\n").collect(Collectors.joining());
    }

    /** Few distinct lines, so that the common subsequence is rarely unique. */
    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int lines = random.nextInt(25);
        for (int i = 0; i < lines; i++) {
            text.append((char) ('a' + random.nextInt(4))).append('\n');
        }
        if (text.length() > 0 && random.nextInt(5) == 0) {
            text.setLength(text.length() - 1);
        }
        return text.toString();
    }

    private static String edit(String text, Random random) {
        List<String> lines = new ArrayList<>(List.of(text.split("(?<=\n)")));
        lines.removeIf(String::isEmpty);
        int edits = random.nextInt(5);
        for (int e = 0; e < edits; e++) {
            int at = lines.isEmpty() ? 0 : random.nextInt(lines.size());
            switch (random.nextInt(3)) {
                case 0 -> lines.add(at, (char) ('a' + random.nextInt(6)) + "\n");
                case 1 -> {
                    if (!lines.isEmpty()) {
                        lines.remove(at);
                    }
                }
                default -> {
                    if (!lines.isEmpty()) {
                        lines.set(at, "changed " + e + "\n");
                    }
                }
            }
        }
        String out = String.join("", lines);
        return random.nextInt(6) == 0 && out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }

    /** A strict patch: every context and deleted line must match, every header count must be right. */
    private static String apply(String before, String diff) {
        if (diff.isEmpty()) {
            return before;
        }
        List<String> source = new ArrayList<>(List.of(before.split("(?<=\n)")));
        source.removeIf(String::isEmpty);
        List<String> patch = List.of(diff.split("\n", -1)).subList(0, diff.split("\n", -1).length - 1);
        assertEquals("--- a/f", patch.get(0));
        assertEquals("+++ b/f", patch.get(1));
        Pattern header = Pattern.compile("@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@");
        StringBuilder out = new StringBuilder();
        int next = 0; // index in source of the next line not yet copied
        int p = 2;
        while (p < patch.size()) {
            Matcher m = header.matcher(patch.get(p++));
            assertTrue(m.matches(), patch.get(p - 1));
            int aCount = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            int bCount = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
            int aStart = Integer.parseInt(m.group(1)) - (aCount == 0 ? 0 : 1);
            assertTrue(aStart >= next, "hunks overlap or go backwards");
            source.subList(next, aStart).forEach(out::append);
            next = aStart;
            int seenA = 0;
            int seenB = 0;
            while (p < patch.size() && !patch.get(p).startsWith("@@")) {
                String line = patch.get(p++).substring(1) + "\n";
                char op = patch.get(p - 1).charAt(0);
                if (p < patch.size() && patch.get(p).equals("\\ No newline at end of file")) {
                    line = line.substring(0, line.length() - 1);
                    p++;
                }
                if (op != '+') {
                    assertEquals(source.get(next++), line, "context or deleted line");
                    seenA++;
                }
                if (op != '-') {
                    out.append(line);
                    seenB++;
                }
            }
            assertEquals(aCount, seenA, "old line count in the hunk header");
            assertEquals(bCount, seenB, "new line count in the hunk header");
        }
        source.subList(next, source.size()).forEach(out::append);
        return out.toString();
    }
}
