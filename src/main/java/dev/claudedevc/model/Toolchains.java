package dev.claudedevc.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The descriptor's {@code toolchains}: which language toolchains the image carries, at which version, and from
 * where. With {@link Source#OFFICIAL_IMAGE} the first one's official Dev Container image is the base and the others
 * are installed from Debian packages; with {@link Source#DEBIAN} all come from Debian packages.
 *
 * @param source where the first toolchain comes from
 * @param list   the toolchains in the descriptor's order, each ecosystem once
 */
public record Toolchains(Source source, List<Toolchain> list) {

    /** Where the first toolchain comes from. */
    public enum Source { OFFICIAL_IMAGE, DEBIAN }

    /**
     * One toolchain.
     *
     * @param ecosystem the language
     * @param version   the lowest version the project accepts
     */
    public record Toolchain(Ecosystem ecosystem, ToolchainVersion version) {
        public Toolchain {
            Objects.requireNonNull(ecosystem, "ecosystem");
            Objects.requireNonNull(version, "version");
        }
    }

    public static final Toolchains NONE = new Toolchains(Source.OFFICIAL_IMAGE, List.of());

    public Toolchains {
        Objects.requireNonNull(source, "source");
        list = List.copyOf(list);
    }

    /** The toolchain the base image brings: the first, when the source is the official image. */
    public Optional<Toolchain> fromBaseImage() {
        return source == Source.OFFICIAL_IMAGE && !list.isEmpty() ? Optional.of(list.get(0)) : Optional.empty();
    }

    /** The toolchains installed from Debian packages in the Dockerfile. */
    public List<Toolchain> fromDebian() {
        return fromBaseImage().isPresent() ? list.subList(1, list.size()) : list;
    }
}
