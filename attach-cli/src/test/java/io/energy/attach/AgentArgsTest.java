package io.energy.attach;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentArgsTest {
    private static final Path CWD = Path.of("/home/me/work");

    @Test
    void separateWordsAndCommaListsBecomeOneAgentArgument() throws Exception {
        assertEquals("include=com.acme.**,interval=50ms,top=5",
                AgentArgs.options(List.of("include=com.acme.**", "interval=50ms,top=5"), CWD));
        assertEquals("", AgentArgs.options(List.of(), CWD));
    }

    @Test
    void pathsAreMadeAbsoluteBecauseTheTargetHasItsOwnWorkingDirectory() throws Exception {
        assertEquals("out=/home/me/work/energy-out,config=/etc/energy.properties,replay=/home/me/t.csv",
                AgentArgs.options(List.of("out=energy-out", "config=/etc/energy.properties", "replay=../t.csv"), CWD));
    }

    @Test
    void everyOptionThatNamesAFileIsResolvedWhereTheCliRuns() throws Exception {
        assertEquals("record=/home/me/work/rel.csv,rapl.root=/home/me/fake-powercap,nvml.library=/home/me/work/lib/n.so,"
                        + "nvml.library=libnvidia-ml.so.1",
                AgentArgs.options(List.of("record=rel.csv", "rapl.root=../fake-powercap,nvml.library=lib/n.so",
                        "nvml.library=libnvidia-ml.so.1"), CWD));
    }

    @Test
    void wordsWithoutValueAndReservedKeysAreUsageErrors() {
        AttachException bare = assertThrows(AttachException.class, () -> AgentArgs.options(List.of("include"), CWD));
        assertEquals(2, bare.exitCode());
        assertTrue(bare.getMessage().contains("'include' has no value"), bare.getMessage());
        AttachException reserved = assertThrows(AttachException.class,
                () -> AgentArgs.options(List.of("reply=/tmp/x"), CWD));
        assertEquals(2, reserved.exitCode());
        assertTrue(reserved.getMessage().contains("set by energy-attach"), reserved.getMessage());
    }
}
