package dev.claudedevc.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reading the engine's build stream: one event per Dockerfile step, the failing step's last lines kept. */
class BuildProgressTest {

    private final List<String> events = new ArrayList<>();
    private final BuildProgress progress = new BuildProgress(new BuildListener() {
        @Override
        public void step(BuildStep step) {
            events.add("step " + step);
        }

        @Override
        public void output(String line) {
            events.add("out " + line);
        }
    });

    @Test
    void dockerClassicBuilderStepsAndOutput() {
        progress.accept("Step 1/3 : FROM local/debian:bookworm\n ---> 13f9d21cb3ed\n");
        progress.accept("Step 2/3 : RUN apt-get upd");
        progress.accept("ate\n ---> Running in 0a1b2c\nGet:1 http://deb bookworm InRelease\n");
        progress.accept("Removing intermediate container 0a1b2c\n ---> 4d5e6f\nStep 3/3 : USER dev\n");
        progress.accept(" ---> Using cache\nSuccessfully built 4d5e6f\nSuccessfully tagged x:latest\n");
        progress.flush();
        assertEquals(List.of("step step 1/3: FROM local/debian:bookworm", "step step 2/3: RUN apt-get update",
                "out Get:1 http://deb bookworm InRelease", "step step 3/3: USER dev"), events);
        assertEquals(Optional.of(new BuildStep(3, 3, "USER dev")), progress.step());
    }

    @Test
    void podmanStepsAreRecognised() {
        progress.accept("STEP 1/2: FROM local/debian:bookworm\nSTEP 2/2: RUN true\n--> 1a2b3c\nCOMMIT x\n");
        assertEquals(List.of("step step 1/2: FROM local/debian:bookworm", "step step 2/2: RUN true"), events);
    }

    @Test
    void aFailingStepKeepsItsLastTwentyLinesAndTheEngineMessage() {
        progress.accept("Step 1/2 : FROM base\nbefore the failing step\nStep 2/2 : RUN make\n");
        IntStream.rangeClosed(1, 25).forEach(i -> progress.accept("line " + i + "\n"));
        progress.accept("\u001B[31mE: Unable to locate package nope\u001B[0m");
        progress.error("The command '/bin/sh -c make' returned\n a non-zero code: 100");
        assertEquals(Optional.of("The command '/bin/sh -c make' returned a non-zero code: 100"), progress.error());
        List<String> tail = progress.tail();
        assertEquals(BuildProgress.TAIL, tail.size());
        assertEquals("line 7", tail.get(0));
        assertEquals("E: Unable to locate package nope", tail.get(tail.size() - 1));
        assertTrue(tail.stream().noneMatch(l -> l.contains("before the failing step")));
        BuildFailedException e = new BuildFailedException(progress.step(), progress.error().get(), tail);
        assertEquals("image build failed at step 2/2 (RUN make): The command '/bin/sh -c make' returned a "
                + "non-zero code: 100", e.getMessage());
    }

    @Test
    void carriageReturnRedrawsKeepTheLastDrawing() {
        assertEquals("100%", BuildProgress.stripControl("10%\r50%\r100%"));
        assertEquals("plain", BuildProgress.stripControl("plain\r"));
    }
}
