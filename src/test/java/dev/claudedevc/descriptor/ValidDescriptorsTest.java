package dev.claudedevc.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.model.Cidr;
import dev.claudedevc.model.ClaudeCode;
import dev.claudedevc.model.Descriptor;
import dev.claudedevc.model.DomainRule;
import dev.claudedevc.model.DomainRule.Kind;
import dev.claudedevc.model.Endpoint;
import dev.claudedevc.model.NetworkPolicy;
import dev.claudedevc.model.OutputFolder;
import dev.claudedevc.model.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The valid corpus ({@code descriptors/valid/}) reads into the records, with defaults and canonical forms. */
class ValidDescriptorsTest {

    static final Path VALID = Path.of("src/test/resources/descriptors/valid");

    private static final DescriptorReader READER = new DescriptorReader();

    static Stream<Path> corpus() throws Exception {
        try (Stream<Path> files = Files.list(VALID)) {
            return files.filter(Files::isRegularFile).sorted().toList().stream();
        }
    }

    private static Descriptor read(String name) {
        return READER.read(VALID.resolve(name)).descriptor();
    }

    private static DomainRule rule(Kind kind, String value) {
        return new DomainRule(kind, value, OptionalInt.empty());
    }

    private static DomainRule rule(Kind kind, String value, int port) {
        return new DomainRule(kind, value, OptionalInt.of(port));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyValidDescriptorReadsTheSameTwiceAndHashesItsBytes(Path file) throws Exception {
        LoadedDescriptor first = READER.read(file);
        LoadedDescriptor second = READER.read(file);
        assertEquals(first.descriptor(), second.descriptor());
        assertEquals(DescriptorReader.sha256(Files.readAllBytes(file)), first.sha256());
        assertEquals(file.toAbsolutePath().getParent(), first.projectDir());
    }

    /**
     * What the reader accepts, the generator renders: generate succeeds, the result validates (a policy that
     * allows nothing is reported as such, exit 6) and a second generate --check finds no drift.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyValidDescriptorGeneratesValidatesAndIsThenUpToDate(Path file, @TempDir Path project) throws Exception {
        String name = file.getFileName().toString().endsWith(".json") ? "claude-devc.json" : "claude-devc.yaml";
        Files.copy(file, project.resolve(name));
        Files.createDirectories(project.resolve("certs"));
        Files.copy(VALID.resolve("certs/corp-root.crt"), project.resolve("certs/corp-root.crt"));
        Descriptor read = READER.read(file).descriptor();
        NetworkPolicy network = read.network();
        boolean allowsSomething = !(network.presets().isEmpty() && network.allowedDomains().isEmpty()
                && network.allowedCidrs().isEmpty());

        String dir = project.toString();
        assertEquals("exit 0", cli("generate", "-C", dir));
        assertTrue(Files.isRegularFile(read.output().in(project).resolve("devcontainer.json")));
        assertEquals(allowsSomething ? "exit 0" : "exit 6", cli("validate", "-C", dir).lines().findFirst().get());
        assertEquals("exit 0", cli("generate", "--check", "-C", dir));
    }

    /** Runs the CLI; returns {@code exit N}, followed by the output unless the command succeeded. */
    private static String cli(String... args) {
        var out = new java.io.ByteArrayOutputStream();
        int code = dev.claudedevc.cli.Main.run(args, new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        return code == 0 ? "exit 0" : "exit " + code + "\n" + out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aDescriptorWithOnlyANameGetsEveryDefault() {
        Descriptor d = read("minimal.yaml");
        assertEquals("minimal", d.name());
        assertEquals("debian:bookworm", d.image());
        assertEquals("dev", d.user());
        assertEquals("/home/dev", d.home());
        assertEquals(List.of(), d.packages());
        assertEquals("UTC", d.timezone());
        assertEquals(new ClaudeCode(ClaudeCode.Install.NATIVE, "latest"), d.claudeCode());
        NetworkPolicy n = d.network();
        assertEquals(NetworkPolicy.Mode.ENFORCE, n.mode());
        assertEquals(NetworkPolicy.Ipv6Mode.FILTER, n.ipv6());
        assertEquals(List.of(443, 80), n.ports());
        assertEquals(List.of(), n.presets());
        assertEquals(List.of(), n.allowedDomains());
        assertEquals(List.of(), n.deniedDomains());
        assertEquals(List.of(), n.allowedCidrs());
        assertEquals(List.of(), n.hostPorts(), "no host access unless asked for");
        assertEquals(List.of(), n.verifyAllow());
        assertEquals(List.of(), n.verifyDeny());
        assertEquals(List.of(), d.vscode().extensions());
        assertEquals(Map.of(), d.vscode().settings());
        assertEquals(Map.of(), d.containerEnv());
        assertEquals(List.of(), d.caCertificates());
        assertEquals(Optional.empty(), d.proxy());
        assertEquals(OutputFolder.DEFAULT, d.output());
    }

    @Test
    void anEmptyNetworkSectionGetsTheSameDefaultsAsNone() throws Exception {
        Descriptor none = read("minimal.yaml");
        Path dir = Files.createTempDirectory("claude-devc-valid");
        try {
            Path file = dir.resolve("claude-devc.yaml");
            Files.writeString(file, "name: minimal\nnetwork: {}\nclaudeCode: {}\n", StandardCharsets.UTF_8);
            Descriptor empty = READER.read(file).descriptor();
            assertEquals(none.network(), empty.network());
            assertEquals(none.claudeCode(), empty.claudeCode());
        } finally {
            Files.deleteIfExists(dir.resolve("claude-devc.yaml"));
            Files.delete(dir);
        }
    }

    @Test
    void everyTopLevelKeyIsReadWithItsValue() {
        Descriptor d = read("full.yaml");
        assertEquals("full.example_app-2", d.name());
        assertEquals("ghcr.io/acme/base-images/debian:bookworm-2026.01@sha256:"
                + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", d.image());
        assertEquals("agent", d.user());
        assertEquals(List.of("git", "jq=1.6-2.1", "ripgrep"), d.packages(), "sorted and unique");
        assertEquals("Europe/Berlin", d.timezone());
        assertEquals(new ClaudeCode(ClaudeCode.Install.NPM, "1.0.44"), d.claudeCode());
        assertEquals(Map.of("DEBUG", "false", "FOO", "bar baz", "HOST_HOME", "${localEnv:HOME}", "RETRIES", "3"),
                d.containerEnv());
        assertEquals(List.of("DEBUG", "FOO", "HOST_HOME", "RETRIES"), List.copyOf(
                new java.util.TreeMap<>(d.containerEnv()).keySet()));
        assertEquals(List.of("certs/corp-root.crt"), d.caCertificates());
        assertEquals(Optional.of(new Proxy(Optional.of("http://proxy.corp.example:3128"),
                Optional.of("http://proxy.corp.example:3128/"),
                List.of("localhost", ".corp.example", "10.0.0.0/8"))), d.proxy());
        assertEquals(new OutputFolder("tools/devcontainer"), d.output(), "a trailing / is dropped");
    }

    @Test
    void everyNetworkKeyIsReadInCanonicalForm() {
        NetworkPolicy n = read("full.yaml").network();
        assertEquals(NetworkPolicy.Mode.AUDIT, n.mode());
        assertEquals(NetworkPolicy.Ipv6Mode.BLOCK, n.ipv6());
        assertEquals(List.of("anthropic", "github", "npm"), n.presets());
        assertEquals(List.of(
                rule(Kind.EXACT, "example.com"),
                rule(Kind.SUBDOMAINS, "internal.example.org"),
                rule(Kind.EXACT, "registry.example.net", 8443),
                rule(Kind.IPV4, "192.0.2.10"),
                rule(Kind.IPV4, "198.51.100.7", 5432),
                rule(Kind.IPV6, "2001:db8::10", 443),
                rule(Kind.IPV6, "fd00::5")), n.allowedDomains());
        assertEquals(List.of(rule(Kind.EXACT, "telemetry.example.com"), rule(Kind.SUBDOMAINS, "ads.example.org")),
                n.deniedDomains());
        assertEquals(List.of(new Cidr("10.20.0.0", 16, false), new Cidr("2001:db8:0:0:1::", 80, true)),
                n.allowedCidrs());
        assertEquals(List.of(443, 8080), n.ports());
        assertEquals(List.of(5432, 6379), n.hostPorts());
        assertEquals(List.of(new Endpoint("example.com", 443), new Endpoint("registry.example.net", 8443),
                new Endpoint("fd00::5", 443)), n.verifyAllow());
        assertEquals(List.of(new Endpoint("example.org", 443), new Endpoint("192.0.2.99", 22)), n.verifyDeny());
    }

    @Test
    void vscodeExtensionsAreLowerCasedSortedAndUniqueAndSettingsKeepTheirJsonTypes() {
        var vscode = read("full.yaml").vscode();
        assertEquals(List.of("anthropic.claude-code", "ms-python.python@2024.1.0"), vscode.extensions());
        assertEquals(Boolean.TRUE, vscode.settings().get("editor.formatOnSave"));
        assertEquals(4L, vscode.settings().get("editor.tabSize"));
        assertEquals(Map.of("**/.git", true), vscode.settings().get("files.exclude"));
        assertEquals(Map.of("editor.rulers", List.of(88L, 120L)), vscode.settings().get("[python]"));
        assertEquals("JetBrains Mono, monospace", vscode.settings().get("terminal.integrated.fontFamily"));
        assertEquals(5, vscode.settings().size());
    }

    @Test
    void jsonWithCommentsAndTrailingCommasIsAccepted() {
        Descriptor d = read("commented.json");
        assertEquals("from-json", d.name());
        assertEquals(List.of("anthropic"), d.network().presets());
        assertEquals(List.of(rule(Kind.EXACT, "api.example.com"), rule(Kind.SUBDOMAINS, "cdn.example.com", 443)),
                d.network().allowedDomains());
        assertEquals("debian:bookworm", d.image());
    }

    @Test
    void ipLiteralsWildcardsAndCidrsAreStoredInCanonicalForm() {
        NetworkPolicy n = read("literals.yaml").network();
        assertEquals(List.of(
                rule(Kind.IPV6, "::1"),
                rule(Kind.IPV6, "::", 8080),
                rule(Kind.IPV6, "2001:db8::1:0:0:1"),
                rule(Kind.IPV6, "fd00::5"),
                rule(Kind.IPV4, "192.0.2.1", 5353),
                rule(Kind.SUBDOMAINS, "sub.example.com", 8443),
                rule(Kind.EXACT, "xn--bcher-kva.example")), n.allowedDomains());
        assertEquals(List.of("::1", "[::]:8080", "2001:db8::1:0:0:1", "fd00::5", "192.0.2.1:5353",
                        "*.sub.example.com:8443", "xn--bcher-kva.example"),
                n.allowedDomains().stream().map(DomainRule::toString).toList());
        assertEquals(List.of("192.168.0.0/24", "203.0.113.5/32", "fd00::/16", "2001:db8::/32", "::1/128"),
                n.allowedCidrs().stream().map(Cidr::toString).toList());
        assertEquals(List.of(false, false, true, true, true), n.allowedCidrs().stream().map(Cidr::ipv6).toList());
        assertEquals(List.of("10.20.0.0/16", "fd00:cd0::1:0/112"),
                n.privateAnswers().stream().map(Cidr::toString).toList());
    }

    @Test
    void aByteOrderMarkIsSkipped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("claude-devc.yaml");
        byte[] text = "name: bom\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[text.length + 3];
        bytes[0] = (byte) 0xef;
        bytes[1] = (byte) 0xbb;
        bytes[2] = (byte) 0xbf;
        System.arraycopy(text, 0, bytes, 3, text.length);
        Files.write(file, bytes);
        assertEquals("bom", READER.read(file).descriptor().name());
    }

    @Test
    void windowsLineEndingsAreAcceptedAndLinesStillCountRight(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("claude-devc.yaml");
        Files.writeString(file, "name: crlf\r\nuser: agent\r\n", StandardCharsets.UTF_8);
        assertEquals("agent", READER.read(file).descriptor().user());
        Files.writeString(file, "name: crlf\r\n\r\nuser: root\r\n", StandardCharsets.UTF_8);
        String message = org.junit.jupiter.api.Assertions.assertThrows(dev.claudedevc.ClaudeDevcException.class,
                () -> READER.read(file)).getMessage();
        assertTrue(message.contains("claude-devc.yaml:3:7: user: "), message);
    }

    @Test
    void aFileOfExactlyTheSizeLimitIsStillRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("claude-devc.yaml");
        String head = "name: at-limit\n";
        StringBuilder text = new StringBuilder(head);
        while (text.length() < DescriptorReader.MAX_BYTES) {
            int room = DescriptorReader.MAX_BYTES - text.length();
            text.append("#".repeat(Math.min(79, room - 1))).append('\n');
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        assertEquals(DescriptorReader.MAX_BYTES, Files.size(file));
        assertEquals("at-limit", READER.read(file).descriptor().name());
    }

    @Test
    void theDescriptorIsFoundByItsConventionalNamesAndASecondOneIsRefused(@TempDir Path dir) throws Exception {
        for (String name : DescriptorReader.FILE_NAMES) {
            Path alone = Files.createDirectories(dir.resolve("alone-" + name)).resolve(name);
            Files.writeString(alone, name.endsWith(".json") ? "{\"name\": \"json\"}" : "name: yaml\n");
            assertEquals(alone, DescriptorReader.locate(alone.getParent(), Optional.empty()));
        }
        // Only the project's descriptor is mounted read-only in the box: the agent can write the other names, and
        // the one read first (claude-devc.yaml) used to become the policy of the next generate or apply.
        Files.writeString(dir.resolve("claude-devc.json"), "{\"name\": \"json\"}");
        assertEquals(dir.resolve("claude-devc.json"), DescriptorReader.locate(dir, Optional.empty()));
        Files.writeString(dir.resolve("claude-devc.yaml"), "name: yaml\n");
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class,
                () -> DescriptorReader.load(dir, Optional.empty()));
        assertEquals(ClaudeDevcException.Kind.INVALID_DESCRIPTOR, e.kind());
        assertTrue(e.getMessage().contains("several descriptors in " + dir + " (claude-devc.yaml, claude-devc.json)"),
                e.getMessage());
        assertEquals(dir.resolve("claude-devc.json"), DescriptorReader.locate(dir,
                Optional.of(dir.resolve("claude-devc.json"))), "an explicit -f decides");
        Files.delete(dir.resolve("claude-devc.yaml"));
        // A dangling link counts too (it would be read once its target appears).
        Files.createSymbolicLink(dir.resolve("claude-devc.yml"), dir.resolve("nowhere.yaml"));
        assertThrows(ClaudeDevcException.class, () -> DescriptorReader.locate(dir, Optional.empty()));
        assertFalse(Files.exists(dir.resolve(".devcontainer")), "reading writes nothing");
    }
}
