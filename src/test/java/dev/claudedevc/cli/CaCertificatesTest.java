package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CA certificates reach a committed folder and a world-readable image: only X.509 certificates from inside the
 * project, re-encoded; this machine's own CAs through {@code ca import} into a git-ignored folder.
 */
class CaCertificatesTest {

    static final Path CERT = TestPaths.projectRoot().resolve("src/test/resources/descriptors/valid/certs/corp-root.crt");

    @TempDir
    Path project;

    String cert;

    @BeforeEach
    void certificate() throws IOException {
        cert = Files.readString(CERT);
    }

    static String block(String type, byte[] body) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(body)
                + "\n-----END " + type + "-----\n";
    }

    static String privateKey() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        return block("PRIVATE KEY", generator.generateKeyPair().getPrivate().getEncoded());
    }

    private CliRun generateWith(String pemFile, String content) throws IOException {
        Files.createDirectories(project.resolve(pemFile).getParent());
        Files.writeString(project.resolve(pemFile), content, StandardCharsets.ISO_8859_1);
        Files.writeString(project.resolve("claude-devc.yaml"), "name: demo\nclaudeCode: {install: none}\n"
                + "caCertificates: [" + pemFile + "]\n");
        return CliRun.of("generate", "-C", project.toString());
    }

    @Test
    void aCertificateWithItsPrivateKeyIsRefusedNamingTheBlock() throws Exception {
        for (String type : List.of("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY")) {
            String key = privateKey().replace("PRIVATE KEY", type);
            CliRun run = generateWith("certs/proxy.pem", cert + key);
            assertEquals(ExitCodes.INVALID_DESCRIPTOR, run.exitCode(), run.err());
            assertTrue(run.err().contains("caCertificates[0]: 'certs/proxy.pem': block 2 is a " + type
                    + ", not a certificate: a private key must never be copied"), run.err());
            assertFalse(Files.exists(project.resolve(".devcontainer")), "nothing written");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUBLIC KEY", "CERTIFICATE REQUEST", "TRUSTED CERTIFICATE", "X509 CRL", "PKCS7"})
    void otherPemBlocksAreRefusedByType(String type) throws IOException {
        CliRun run = generateWith("certs/x.pem", block(type, new byte[] {1, 2, 3}) + cert);
        assertEquals(ExitCodes.INVALID_DESCRIPTOR, run.exitCode(), run.err());
        assertTrue(run.err().contains("block 1 is a " + type + ", not a certificate"), run.err());
    }

    @Test
    void armourAroundGarbageIsNotACertificate() throws IOException {
        for (String garbage : List.of(block("CERTIFICATE", "hello, not DER".getBytes(StandardCharsets.US_ASCII)),
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                "-----BEGIN CERTIFICATE-----\nnot base64 !!\n-----END CERTIFICATE-----\n")) {
            CliRun run = generateWith("certs/g.pem", cert + garbage);
            assertEquals(ExitCodes.INVALID_DESCRIPTOR, run.exitCode(), run.err());
            assertTrue(run.err().contains("block 2 is not"), run.err());
        }
        CliRun none = generateWith("certs/n.pem", "just text\n");
        assertTrue(none.err().contains("is not a PEM certificate"), none.err());
    }

    @Test
    void whatIsWrittenIsTheCertificatesReencodedNothingElse() throws IOException {
        String noisy = "subject=CN = Corp Root\r\nissuer=CN = Corp Root\r\n" + cert.replace("\n", "\r\n") + "# trailing note\n"
                + cert;
        generateWith("certs/Corp.pem", noisy).exits(0);
        String written = Files.readString(project.resolve(".devcontainer/ca-certificates/corp.crt"));
        String canonical = cert.strip() + "\n";
        assertEquals(canonical + canonical, written);
        assertFalse(written.contains("subject=") || written.contains("note") || written.contains("\r"));
    }

    @Test
    void aLinkThatLeavesTheProjectIsRefused(@TempDir Path elsewhere) throws IOException {
        Path outside = Files.writeString(elsewhere.resolve("home-ca.pem"), cert);
        Files.createDirectories(project.resolve("certs"));
        Files.createSymbolicLink(project.resolve("certs/ca.pem"), outside);
        Files.writeString(project.resolve("claude-devc.yaml"), "name: demo\ncaCertificates: [certs/ca.pem]\n");
        CliRun run = CliRun.of("generate", "-C", project.toString());
        assertEquals(ExitCodes.INVALID_DESCRIPTOR, run.exitCode(), run.err());
        assertTrue(run.err().contains("resolves to " + outside.toRealPath() + ", outside the project"), run.err());

        // Inside the project a link is fine: it resolves to a file that is committed anyway.
        Files.writeString(project.resolve("certs/real.pem"), cert);
        Files.delete(project.resolve("certs/ca.pem"));
        Files.createSymbolicLink(project.resolve("certs/ca.pem"), project.resolve("certs/real.pem"));
        CliRun.of("generate", "-C", project.toString()).exits(0);
    }

    @Test
    void notARegularFileIsRefused() throws IOException, InterruptedException {
        Files.createDirectories(project.resolve("certs/dir.pem"));
        Files.writeString(project.resolve("claude-devc.yaml"), "name: demo\ncaCertificates: [certs/dir.pem]\n");
        CliRun dir = CliRun.of("generate", "-C", project.toString());
        assertTrue(dir.err().contains("'certs/dir.pem' is not a regular file"), dir.err());
        Process mkfifo = new ProcessBuilder("mkfifo", project.resolve("certs/fifo.pem").toString()).start();
        assertTrue(mkfifo.waitFor(5, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);
        Files.writeString(project.resolve("claude-devc.yaml"), "name: demo\ncaCertificates: [certs/fifo.pem]\n");
        CliRun fifo = CliRun.of("generate", "-C", project.toString());
        assertEquals(ExitCodes.INVALID_DESCRIPTOR, fifo.exitCode(), fifo.err());
        assertTrue(fifo.err().contains("'certs/fifo.pem' is not a regular file"), fifo.err());
    }

    @Test
    void namesThatDifferOnlyInCaseCollide() throws IOException {
        Files.createDirectories(project.resolve("certs"));
        Files.writeString(project.resolve("certs/Corp.pem"), cert);
        Files.writeString(project.resolve("certs/corp.crt"), cert);
        Files.writeString(project.resolve("claude-devc.yaml"), "name: demo\ncaCertificates: [certs/Corp.pem,"
                + " certs/corp.crt]\n");
        CliRun run = CliRun.of("generate", "-C", project.toString());
        assertEquals(ExitCodes.INVALID_DESCRIPTOR, run.exitCode(), run.err());
        assertTrue(run.err().contains("caCertificates[1]: 'certs/corp.crt' and 'certs/Corp.pem' would both be"
                + " installed as corp.crt"), run.err());
    }

    @Test
    void caImportWritesThisMachinesCertificatesIntoAGitIgnoredFolder(@TempDir Path host) throws Exception {
        Files.writeString(project.resolve("claude-devc.yaml"), "name: demo\nclaudeCode: {install: none}\n");
        CliRun.of("generate", "-C", project.toString()).exits(0);
        Path proxyCa = Files.writeString(host.resolve("Proxy-CA.pem"), "subject=x\n" + cert);
        CliRun imported = CliRun.of("ca", "import", "-C", project.toString(), proxyCa.toString()).exits(0);
        Path written = project.resolve(".devcontainer/local-ca/proxy-ca.crt");
        assertEquals(cert.strip() + "\n", Files.readString(written), imported.out());

        // git agrees that it is ignored, and that the generated files are not.
        git("init", "-q");
        assertEquals(0, git("check-ignore", "-q", ".devcontainer/local-ca/proxy-ca.crt"));
        assertEquals(1, git("check-ignore", "-q", ".devcontainer/local-ca/README.md"));
        assertEquals(1, git("check-ignore", "-q", ".devcontainer/Dockerfile"));

        // A key is refused, and so is anything else in the folder at build time.
        Path withKey = Files.writeString(host.resolve("leaked.pem"), cert + privateKey());
        CliRun refused = CliRun.of("ca", "import", "-C", project.toString(), withKey.toString());
        assertEquals(ExitCodes.INVALID_DESCRIPTOR, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("block 2 is a PRIVATE KEY"), refused.err());
        assertFalse(Files.exists(project.resolve(".devcontainer/local-ca/leaked.crt")));

        // generate neither deletes nor reports the imported file; --check stays clean.
        CliRun.of("generate", "-C", project.toString()).exits(0);
        assertTrue(Files.exists(written));
        CliRun.of("generate", "-C", project.toString(), "--check").exits(0);

        Files.writeString(project.resolve(".devcontainer/local-ca/dropped.crt"), cert + privateKey());
        CliRun build = CliRun.of("build", "-C", project.toString());
        assertEquals(ExitCodes.INVALID_OUTPUT, build.exitCode(), build.err());
        assertTrue(build.err().contains("dropped.crt': block 2 is a PRIVATE KEY"), build.err());
    }

    private int git(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", project.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return p.exitValue();
    }

    @Test
    void aBuildThatMeetsAnUntrustedCertificateEndsWithAHint() {
        for (String line : List.of("npm ERR! code SELF_SIGNED_CERT_IN_CHAIN",
                "curl: (60) SSL certificate problem: unable to get local issuer certificate",
                "sun.security.validator.ValidatorException: PKIX path building failed: unable to find valid path")) {
            Optional<String> hint = BuildCommand.tlsHint("image build failed at step 9/20 (RUN npm ci): exit 1",
                    List.of("  something", line));
            assertTrue(hint.isPresent(), line);
            assertTrue(hint.get().contains("claude-devc ca import FILE") && hint.get().contains("caCertificates"),
                    hint.get());
        }
        assertTrue(BuildCommand.tlsHint("image build failed: exit 100", List.of("E: Unable to locate package x"))
                .isEmpty());
    }
}
