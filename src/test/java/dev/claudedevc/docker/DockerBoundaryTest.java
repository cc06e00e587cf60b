package dev.claudedevc.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.claudedevc.TestPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Only {@code dev.claudedevc.docker} sees docker-java, and its public signatures use the project's own types. */
class DockerBoundaryTest {

    @Test
    void noOtherMainPackageImportsDockerJava() throws IOException {
        Path main = TestPaths.projectRoot().resolve("src/main/java/dev/claudedevc");
        Path docker = main.resolve("docker");
        try (Stream<Path> files = Files.walk(main)) {
            List<String> offenders = files.filter(f -> f.toString().endsWith(".java") && !f.startsWith(docker))
                    .filter(f -> read(f).contains("com.github.dockerjava")).map(main::relativize)
                    .map(Path::toString).sorted().toList();
            assertEquals(List.of(), offenders);
        }
    }

    @Test
    void thePublicApiNamesNoDockerJavaType() {
        for (Class<?> type : List.of(DockerEngine.class, DockerEngines.class, BuildRequest.class, BuildListener.class,
                BuildStep.class, BuildFailedException.class, EngineException.class, ImageInfo.class, NetworkSpec.class,
                NetworkInfo.class, ContainerSpec.class, ContainerInfo.class, ExecResult.class)) {
            for (var method : type.getMethods()) {
                assertEquals(false, method.getReturnType().getName().startsWith("com.github.dockerjava"),
                        method.toString());
                for (Class<?> parameter : method.getParameterTypes()) {
                    assertEquals(false, parameter.getName().startsWith("com.github.dockerjava"), method.toString());
                }
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
