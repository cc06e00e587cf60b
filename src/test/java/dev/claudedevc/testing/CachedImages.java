package dev.claudedevc.testing;

import com.github.dockerjava.api.DockerClient;

/**
 * Test images kept between runs under a fixed tag as a build cache (the slow apt layers are rebuilt only when
 * their Dockerfile changes). When a rebuild moves the tag, the image it left is removed, so the cache does not
 * grow with every change.
 */
public final class CachedImages {

    private CachedImages() {
    }

    /** Builds {@code tag} with {@code build}, then removes the image the tag named before, if it changed. */
    public static void rebuild(String tag, ThrowingRunnable build) throws Exception {
        DockerClient docker = org.testcontainers.DockerClientFactory.instance().client();
        String before = id(docker, tag);
        build.run();
        String after = id(docker, tag);
        if (before != null && !before.equals(after)) {
            try {
                docker.removeImageCmd(before).exec();
            } catch (RuntimeException e) {
                // still used by another tag or a container: it stays
            }
        }
    }

    private static String id(DockerClient docker, String tag) {
        try {
            return docker.inspectImageCmd(tag).exec().getId();
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return null;
        }
    }

    /** A build step. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
