package dev.claudedevc.firewall;

import static dev.claudedevc.firewall.FirewallLab.Server.ALLOWED;
import static dev.claudedevc.firewall.FirewallLab.Server.BLOCKED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.model.HostConfig;
import dev.claudedevc.cli.CliRun;
import dev.claudedevc.firewall.DevContainer.Exec;
import dev.claudedevc.firewall.FirewallLab.Variant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.ToStringConsumer;

/**
 * Every start of the generated image applies the firewall by itself — a plain {@code docker run} with the runArgs'
 * capabilities, {@code docker restart}, {@code docker stop} + {@code docker start} — and {@code status} checks the
 * live kernel state, not a file from an earlier run. A start that cannot apply it stays closed and says so, or, when
 * not even the lockdown can be installed, does not run at all. (Starts under the Dev Containers CLI:
 * {@code DevcontainerCliIT}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirewallStartIT {

    private FirewallLab lab;

    @BeforeAll
    void lab() {
        lab = FirewallLab.shared();
    }

    /** What the agent sees in a box whose firewall holds for this start. */
    private void assertInForce(DevContainer dev) {
        dev.waitForFirewall().succeeds();
        dev.connect4("allowed.test", 443).reaches("allowed");
        dev.connectAll(DevContainer.tcp4(lab.v4(BLOCKED), 443), DevContainer.tcp6(lab.v6(BLOCKED), 443))
                .forEach(DevContainer.Connection::isRejected);
        dev.dig("blocked.test").isNxdomain();
        Exec status = dev.status();
        assertEquals(0, status.exitCode(), status::text);
        assertTrue(status.out().startsWith("result=ok\n"), status::text);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aPlainDockerRunAppliesTheFirewallAndExecsAsTheUser() {
        try (DevContainer dev = lab.run(lab.image(Variant.ENFORCE), true)) {
            assertInForce(dev);
            Exec who = dev.asDefaultUser("id", "-un");
            assertEquals("dev", who.out().strip(), "a docker exec without -u must not be root: " + who.text());
            assertTrue(dev.logs().contains("claude-devc-firewall: lockdown in place"), dev.logs());
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void dockerRestartAppliesItAgain() {
        try (DevContainer dev = lab.run(lab.image(Variant.ENFORCE), true)) {
            assertInForce(dev);
            dev.restart();
            assertInForce(dev);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void dockerStopAndStartAppliesItAgain() {
        try (DevContainer dev = lab.run(lab.image(Variant.ENFORCE), true)) {
            assertInForce(dev);
            dev.stopAndStart();
            assertInForce(dev);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aReadyMarkerOrStateFromAnEarlierStartIsNotTakenForThisOne() {
        // The lab's own start replaces the entrypoint: after the restart, nothing applies the firewall.
        try (DevContainer dev = lab.start(Variant.ENFORCE)) {
            dev.applyFirewall().succeeds();
            dev.waitForFirewall().succeeds();
            dev.restart();
            Exec waited = dev.asUser("timeout 3 " + DevContainer.FIREWALL + " wait");
            assertEquals(124, waited.exitCode(), "wait must still be waiting: " + waited.text());
            Exec status = dev.status();
            assertEquals(1, status.exitCode(), status::text);
            assertTrue(status.out().startsWith("result=not-in-force\n"), status::text);
            assertTrue(status.out().contains("problem=the last run was for an earlier container start"),
                    status::text);
            assertTrue(status.out().contains("problem=IPv4 policies are not DROP"), status::text);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void rulesLostInALiveContainerAreReportedByStatusAndAudit() {
        try (DevContainer dev = lab.run(lab.image(Variant.ENFORCE), true)) {
            assertInForce(dev);
            dev.asRoot("iptables -w 10 -P OUTPUT ACCEPT && iptables -w 10 -F OUTPUT"
                    + " && iptables -w 10 -P INPUT ACCEPT && iptables -w 10 -F INPUT").succeeds();
            dev.connect4(lab.v4(BLOCKED), 443).reaches("blocked"); // the fault is real

            Exec status = dev.status();
            assertEquals(1, status.exitCode(), status::text);
            assertTrue(status.out().startsWith("result=not-in-force\n"), status::text);
            assertTrue(status.out().contains("problem=IPv4 policies are not DROP\n"), status::text);
            assertTrue(status.out().contains("problem=the IPv4 filter rules differ from the ones the firewall "
                    + "loaded\n"), status::text);

            CliRun audit = CliRun.of("audit", "-C", lab.project(Variant.ENFORCE).toString(), "--container",
                    dev.id());
            audit.exits(9);
            assertTrue(audit.err().contains("NOT in force (not-in-force): IPv4 policies are not DROP"), audit.err());
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aStartWhoseApplyFailsStaysClosedAndSaysWhy() {
        String policy = lab.generatedFile(Variant.ENFORCE, "claude-devc-policy.conf") + "allow-name 0 exact x_y.test\n";
        String image = lab.imageWith(Variant.ENFORCE, "claude-devc-policy.conf", policy, "bad-policy");
        try (DevContainer dev = lab.run(image, true)) {
            Exec waited = dev.waitForFirewall();
            assertEquals(1, waited.exitCode(), waited::text);
            assertTrue(waited.err().contains("FAILED at this container start"), waited::text);
            assertTrue(dev.logs().contains("claude-devc-firewall: FAILED: policy line"), dev.logs());
            assertTrue(dev.logs().contains("outbound traffic stays blocked"), dev.logs());
            dev.assertClosed();
            dev.connect4(lab.v4(ALLOWED), 443).isRejected();
            Exec status = dev.status();
            assertEquals(1, status.exitCode(), status::text);
            assertTrue(status.out().startsWith("result=failed\n"), status::text);
        }
    }

    @Test
    void withoutNetAdminTheContainerDoesNotRun() throws InterruptedException {
        DockerClient docker = lab.docker();
        CreateContainerResponse created = docker.createContainerCmd(lab.image(Variant.ENFORCE))
                .withLabels(java.util.Map.of("dev.claudedevc.test", "firewall-it"))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
                .exec();
        try {
            docker.startContainerCmd(created.getId()).exec();
            int code = docker.waitContainerCmd(created.getId()).start().awaitStatusCode(60, TimeUnit.SECONDS);
            assertTrue(code != 0, "the container must exit non-zero, exited " + code);
            ToStringConsumer logs = new ToStringConsumer();
            try (var callback = docker.logContainerCmd(created.getId()).withStdOut(true).withStdErr(true)
                    .exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                        @Override
                        public void onNext(com.github.dockerjava.api.model.Frame frame) {
                            logs.accept(new OutputFrame(OutputFrame.OutputType.STDOUT, frame.getPayload()));
                        }
                    })) {
                callback.awaitCompletion(10, TimeUnit.SECONDS);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            String text = logs.toUtf8String();
            assertTrue(text.contains("refusing to run the container open"), text);
            assertTrue(text.contains("outbound traffic is NOT blocked"), text);
        } finally {
            docker.removeContainerCmd(created.getId()).withForce(true).exec();
        }
    }
}
