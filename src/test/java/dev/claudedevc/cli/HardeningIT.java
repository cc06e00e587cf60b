package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.TestPaths;
import dev.claudedevc.model.ImageLayout;
import dev.claudedevc.testing.DockerRequired;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * Real builds of generated images: one trusting the project's CA (committed) and this machine's (ca import), with
 * every runtime's trust variable and the system store checked inside; one on a base image whose user is root by
 * uid, which the Dockerfile must refuse.
 */
class HardeningIT {

    static final String BASE_IMAGE = BuildVerifyIT.BASE_IMAGE;
    static final String RUN = java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(3));
    static final List<String> CREATED = new ArrayList<>();

    @TempDir
    static Path work;

    @BeforeAll
    static void docker() {
        DockerRequired.check();
    }

    @AfterAll
    static void removeImages() {
        for (String image : CREATED) {
            try {
                DockerClientFactory.instance().client().removeImageCmd(image).withForce(true).exec();
            } catch (RuntimeException e) {
                // already gone
            }
        }
    }

    private static Path project(String dir, String descriptor) throws IOException {
        Path project = Files.createDirectories(work.resolve(dir));
        Files.writeString(project.resolve("claude-devc.yaml"), descriptor);
        return project;
    }

    /** A self-signed CA made here, as a user's proxy CA would be (openssl on the host). */
    private static Path makeCa(Path dir, String name) throws IOException, InterruptedException {
        Path pem = dir.resolve(name + ".pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir.resolve(name + ".key").toString(), "-subj",
                "/CN=" + name, "-days", "2", "-out", pem.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return pem;
    }

    @Test
    void theImageTrustsTheProjectsAndThisMachinesCasThroughEveryRuntimesVariable() throws Exception {
        Path project = project("ca", "name: it-ca-" + RUN + "\nclaudeCode: {install: none}\n"
                + "caCertificates: [certs/corp-root.crt]\n");
        Files.createDirectories(project.resolve("certs"));
        Files.copy(TestPaths.projectRoot().resolve("src/test/resources/descriptors/valid/certs/corp-root.crt"),
                project.resolve("certs/corp-root.crt"));
        CliRun.of("generate", "-C", project.toString()).exits(0);
        Path host = Files.createDirectories(work.resolve("host"));
        Path localCa = makeCa(host, "machine-proxy-ca");
        CliRun.of("ca", "import", "-C", project.toString(), localCa.toString()).exits(0);

        String tag = "claude-devc/it-ca-" + RUN + ":latest";
        CREATED.add(tag);
        CliRun.of("build", "-C", project.toString(), "--base-image", BASE_IMAGE, "-t", tag, "-q").exits(0);

        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(tag))
                .withCreateContainerCmdModifier(cmd -> cmd.withUser("root").withEntrypoint("sleep", "infinity"))) {
            c.start();
            Container.ExecResult env = c.execInContainer("env");
            for (String variable : ImageLayout.TRUST_VARIABLES) {
                assertTrue(env.getStdout().contains("\n" + variable + "=" + ImageLayout.CA_BUNDLE + "\n")
                        || env.getStdout().startsWith(variable + "=" + ImageLayout.CA_BUNDLE + "\n"),
                        variable + " in\n" + env.getStdout());
            }
            // Both CAs are in the system store: each verifies against the bundle alone.
            for (String crt : List.of("/usr/local/share/ca-certificates/claude-devc/corp-root.crt",
                    "/usr/local/share/ca-certificates/claude-devc-local/machine-proxy-ca.crt")) {
                Container.ExecResult verify = c.execInContainer("openssl", "verify", "-CAfile", ImageLayout.CA_BUNDLE,
                        crt);
                assertEquals(0, verify.getExitCode(), verify.getStdout() + verify.getStderr());
                assertTrue(verify.getStdout().contains(": OK"), verify.getStdout());
            }
            Container.ExecResult local = c.execInContainer("ls", "-A", "/usr/local/share/ca-certificates/claude-devc-local");
            assertEquals("machine-proxy-ca.crt", local.getStdout().strip(), "only certificates: the README is not one");
            Container.ExecResult key = c.execInContainer("sh", "-c", "grep -rl 'PRIVATE KEY' /usr/local/share/"
                    + "ca-certificates /etc/ssl/certs 2>/dev/null | wc -l");
            assertEquals("0", key.getStdout().strip());
        }
    }

    @Test
    void aBaseImageWhoseUserIsRootByUidIsRefused() throws Exception {
        String base = "claude-devc-it/uid0-base-" + RUN + ":latest";
        CREATED.add(base);
        new ImageFromDockerfile(base, false)
                .withDockerfileFromBuilder(b -> b.from(BASE_IMAGE).run("useradd -o -u 0 -M -s /bin/bash dev").build())
                .get();
        Path project = project("uid0", "name: it-uid0-" + RUN + "\nuser: dev\nclaudeCode: {install: none}\n");
        CliRun.of("generate", "-C", project.toString()).exits(0);
        String tag = "claude-devc/it-uid0-" + RUN + ":latest";
        CREATED.add(tag);
        CliRun build = CliRun.of("build", "-C", project.toString(), "--base-image", base, "-t", tag);
        assertEquals(ExitCodes.BUILD_FAILED, build.exitCode(), build.err());
        assertTrue(build.err().contains("the base image gives dev (uid 0) or claude-devc-dns"), build.err());
        assertTrue(build.err().contains("refusing"), build.err());
    }
}
