package dev.claudedevc.generate;

import dev.claudedevc.ClaudeDevcException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes files safely: every conflict is found before anything is written (so a refusal writes nothing), each
 * file goes to a temporary sibling and is moved into place atomically, and modes are set explicitly. Files an
 * earlier run generated and this one does not (a CA certificate dropped from the descriptor) are deleted, since
 * the image build copies whole folders. Nothing is written through a symbolic link: when the root, a folder
 * below it or a target is one, the write is refused before anything is written. All or nothing: when a write
 * fails part-way, what was already written, replaced or deleted is put back.
 */
public final class TreeWriter {

    /** What happened to one file. */
    public enum Outcome { CREATED, UPDATED, UNCHANGED, DELETED }

    /**
     * One written file.
     *
     * @param path    the file
     * @param outcome what happened
     */
    public record Written(Path path, Outcome outcome) {
    }

    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> REGULAR = PosixFilePermissions.fromString("rw-r--r--");

    /** Called before each change is made; tests make it throw to prove the roll-back. */
    interface BeforeChange {
        void before(Path target) throws IOException;
    }

    static BeforeChange beforeChange = target -> { };

    private TreeWriter() {
    }

    /**
     * Writes {@code files} (paths relative to {@code root}).
     *
     * @param force overwrite files whose content differs; without it such a file stops the whole write
     * @throws ClaudeDevcException REFUSED_OVERWRITE naming every conflicting file, before anything is written
     */
    public static List<Written> write(Path root, List<GeneratedFile> files, boolean force) {
        return write(root, files, force, Map.of());
    }

    /**
     * Writes {@code files}, replacing without {@code force} those whose current content is exactly what an earlier
     * run generated ({@code previous}: path to SHA-256, from the manifest): such a file holds no edit of the user's.
     * A file in {@code previous} but not in {@code files} is deleted on the same terms.
     */
    public static List<Written> write(Path root, List<GeneratedFile> files, boolean force,
            Map<String, String> previous) {
        List<Path> conflicts = new ArrayList<>();
        List<Path> editedStale = new ArrayList<>();
        List<Path> edited = new ArrayList<>();
        List<Outcome> plan = new ArrayList<>();
        Set<String> current = new HashSet<>();
        refuseLinks(root, root);
        for (GeneratedFile file : files) {
            Path target = root.resolve(file.path());
            refuseLinks(root, target);
            Outcome outcome = plan(target, file);
            if (outcome == Outcome.UPDATED && !force && !unedited(target, previous.get(file.path()))) {
                conflicts.add(target);
                if (previous.containsKey(file.path())) {
                    edited.add(target);
                }
            }
            plan.add(outcome);
            current.add(file.path());
        }
        List<Path> stale = new ArrayList<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(previous).entrySet()) {
            Path target = root.resolve(entry.getKey());
            refuseLinks(root, target);
            if (!current.contains(entry.getKey()) && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                stale.add(target);
                if (!force && !unedited(target, entry.getValue())) {
                    editedStale.add(target);
                }
            }
        }
        if (!conflicts.isEmpty() || !editedStale.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!conflicts.isEmpty()) {
                parts.add("refusing to overwrite " + (conflicts.size() == 1 ? "an existing file: "
                        : conflicts.size() + " existing files: ") + join(conflicts));
            }
            if (!editedStale.isEmpty()) {
                parts.add("refusing to delete " + join(editedStale) + " (no longer generated, but edited since)");
            }
            if (!edited.isEmpty()) {
                parts.add(join(edited) + (edited.size() == 1 ? " was" : " were") + " edited by hand since claude-devc"
                        + " generated " + (edited.size() == 1 ? "it" : "them") + ": to keep the edit, copy the file"
                        + " away (or make it a team template, --templates DIR), then run with --force and merge it back;"
                        + " to discard it, run with --force");
            }
            throw new ClaudeDevcException(ClaudeDevcException.Kind.REFUSED_OVERWRITE, String.join("; ", parts)
                    + " (nothing was written; use --force to " + (conflicts.isEmpty() ? "delete)" : "replace)"));
        }
        List<Written> written = new ArrayList<>();
        Undo undo = new Undo();
        try {
            for (int i = 0; i < files.size(); i++) {
                GeneratedFile file = files.get(i);
                Path target = root.resolve(file.path());
                if (plan.get(i) != Outcome.UNCHANGED) {
                    beforeChange.before(target);
                    undo.saving(target);
                    undo.folders(target.getParent());
                    writeAtomically(target, file);
                } else {
                    setMode(target, file.executable());
                }
                written.add(new Written(target, plan.get(i)));
            }
            for (Path target : stale) {
                beforeChange.before(target);
                undo.saving(target);
                delete(root, target);
                written.add(new Written(target, Outcome.DELETED));
            }
        } catch (IOException | ClaudeDevcException e) {
            List<String> left = undo.run();
            String reason = e instanceof IOException io ? io("cannot write " + root, io).getMessage() : e.getMessage();
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, reason + (left.isEmpty()
                    ? " (rolled back: nothing was written)" : " (roll-back incomplete, check: " + String.join(", ", left)
                    + ")"), e);
        }
        return written;
    }

    /**
     * Refuses {@code target} when it, or a folder between {@code root} and it, or {@code root} itself, is a
     * symbolic link: a write there would land wherever the link points (outside the project, an executable).
     */
    static void refuseLinks(Path root, Path target) {
        Path relative = root.relativize(target);
        Path at = root;
        List<Path> chain = new ArrayList<>();
        chain.add(root);
        for (Path part : relative) {
            if (!part.toString().isEmpty()) {
                at = at.resolve(part);
                chain.add(at);
            }
        }
        for (Path p : chain) {
            if (Files.isSymbolicLink(p)) {
                String to;
                try {
                    to = " (to " + Files.readSymbolicLink(p) + ")";
                } catch (IOException e) {
                    to = "";
                }
                throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, "refusing to write through a symbolic link: "
                        + p + " is one" + to + "; nothing was written (make it a real folder or file)");
            }
            if (!p.equals(target) && Files.exists(p, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, p + " is in the way: a folder must be"
                        + " there for " + target + "; nothing was written");
            }
        }
    }

    /** What a write changed, to put back when a later step fails. */
    private static final class Undo {
        private final List<Path> created = new ArrayList<>();
        private final Map<Path, byte[]> replaced = new java.util.LinkedHashMap<>();
        private final Map<Path, Set<PosixFilePermission>> modes = new java.util.HashMap<>();
        private final List<Path> folders = new ArrayList<>();

        void saving(Path target) throws IOException {
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                replaced.put(target, Files.readAllBytes(target));
                try {
                    modes.put(target, Files.getPosixFilePermissions(target));
                } catch (UnsupportedOperationException e) {
                    // not POSIX
                }
            } else {
                created.add(target);
            }
        }

        void folders(Path dir) {
            List<Path> missing = new ArrayList<>();
            for (Path d = dir; d != null && !Files.exists(d, LinkOption.NOFOLLOW_LINKS); d = d.getParent()) {
                missing.add(d);
            }
            folders.addAll(missing);
        }

        /** Puts everything back; returns what could not be. */
        List<String> run() {
            List<String> left = new ArrayList<>();
            for (Path p : created) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    left.add(p.toString());
                }
            }
            replaced.forEach((p, bytes) -> {
                try {
                    if (p.getParent() != null) {
                        Files.createDirectories(p.getParent());
                    }
                    Files.write(p, bytes);
                    if (modes.containsKey(p)) {
                        Files.setPosixFilePermissions(p, modes.get(p));
                    }
                } catch (IOException e) {
                    left.add(p.toString());
                }
            });
            // Deepest first: a folder is empty once what was created in it is gone.
            folders.sort(java.util.Comparator.comparingInt(Path::getNameCount).reversed());
            for (Path d : folders) {
                try {
                    Files.deleteIfExists(d);
                } catch (IOException e) {
                    left.add(d.toString());
                }
            }
            return left;
        }
    }

    private static String join(List<Path> paths) {
        return String.join(", ", paths.stream().map(Path::toString).toList());
    }

    /** Deletes {@code target}, and its folder when that is now empty (and not {@code root}). */
    private static void delete(Path root, Path target) {
        try {
            Files.delete(target);
            Path parent = target.getParent();
            if (!parent.equals(root)) {
                try (Stream<Path> left = Files.list(parent)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(parent);
                    }
                }
            }
        } catch (IOException e) {
            throw io("cannot delete " + target, e);
        }
    }

    private static boolean unedited(Path target, String previousSha256) {
        if (previousSha256 == null) {
            return false;
        }
        try {
            return Manifest.sha256(Files.readAllBytes(target)).equals(previousSha256);
        } catch (IOException e) {
            throw io("cannot read " + target, e);
        }
    }

    private static Outcome plan(Path target, GeneratedFile file) {
        if (!Files.exists(target)) {
            return Outcome.CREATED;
        }
        if (!Files.isRegularFile(target)) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.REFUSED_OVERWRITE,
                    target + " exists and is not a regular file (nothing was written)");
        }
        try {
            return file.sameContent(Files.readAllBytes(target)) ? Outcome.UNCHANGED : Outcome.UPDATED;
        } catch (IOException e) {
            throw io("cannot read " + target, e);
        }
    }

    private static void writeAtomically(Path target, GeneratedFile file) {
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
            try {
                Files.write(temp, file.content());
                setMode(temp, file.executable());
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw io("cannot write " + target, e);
        }
    }

    private static void setMode(Path path, boolean executable) {
        try {
            Files.setPosixFilePermissions(path, executable ? EXECUTABLE : REGULAR);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): modes are carried by the build context instead.
        } catch (IOException e) {
            throw io("cannot set the mode of " + path, e);
        }
    }

    private static ClaudeDevcException io(String what, IOException e) {
        String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : e.getMessage();
        return new ClaudeDevcException(ClaudeDevcException.Kind.IO, what + ": " + reason, e);
    }
}
