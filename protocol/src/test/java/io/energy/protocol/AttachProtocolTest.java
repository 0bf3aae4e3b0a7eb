package io.energy.protocol;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttachProtocolTest {
    @Test
    void argumentsSplitAtCommasWithBlankPartsSkippedAndValuelessPartsKeptWhole() {
        List<AgentArgument> a = AgentArgument.split(" include = com.acme.**;org.x.Foo#bar ,, out=a=b,novalue, =x,");
        assertEquals(List.of(new AgentArgument("include", "com.acme.**;org.x.Foo#bar"), new AgentArgument("out", "a=b"),
                new AgentArgument("novalue", null), new AgentArgument("=x", null)), a);
        assertEquals(List.of(), AgentArgument.split(null));
        assertEquals(List.of(), AgentArgument.split(" , "));
        assertEquals(List.of(new AgentArgument("k", "")), AgentArgument.split("k="));
    }

    @Test
    void joinIsReadBackBySplit() {
        List<AgentArgument> a = List.of(new AgentArgument("include", "a.**"), new AgentArgument("top", "5"));
        assertEquals("include=a.**,top=5", AgentArgument.join(a));
        assertEquals(a, AgentArgument.split(AgentArgument.join(a)));
    }

    @Test
    void aRequestCarriesCommandAndReplyFileAheadOfTheOptionsAndIsTakenApartAgain() {
        String s = AttachProtocol.request("dump", "/tmp/r.reply", "out=/x/y");
        assertEquals("cmd=dump,reply=/tmp/r.reply,out=/x/y", s);
        AttachProtocol.Request r = AttachProtocol.Request.parse(s);
        assertEquals("dump", r.command());
        assertEquals("/tmp/r.reply", r.replyFile());
        assertEquals("/x/y", r.option("out"));
        assertEquals("out=/x/y", r.optionString());
        AttachProtocol.Request launch = AttachProtocol.Request.parse("include=a.**");
        assertEquals("start", launch.command(), "a -javaagent launch has no cmd: it starts");
        assertNull(launch.replyFile());
        assertEquals("include=a.**", launch.optionString());
        assertEquals("cmd=stop,reply=/r", AttachProtocol.request("stop", "/r", ""));
    }

    @Test
    void theReplyIsTheExitCodeThenTheMessage() {
        String text = AttachProtocol.reply(AttachProtocol.USAGE, "option interval='abc' is not a duration\n");
        AttachProtocol.Reply r = AttachProtocol.Reply.parse(text);
        assertEquals(2, r.code());
        assertEquals("option interval='abc' is not a duration\n", r.message());
        assertNull(AttachProtocol.Reply.parse(""), "no answer");
        assertThrows(IllegalArgumentException.class, () -> AttachProtocol.Reply.parse("hello\nworld"));
    }

    @Test
    void everyOptionNamingAFileIsAPathButALibraryNameIsNot() {
        for (String key : List.of("out", "config", "replay", "record", "rapl.root")) {
            assertTrue(AttachProtocol.isPath(key, "rel"), key);
        }
        assertFalse(AttachProtocol.isPath("nvml.library", "libnvidia-ml.so.1"), "looked up by the dynamic loader");
        assertTrue(AttachProtocol.isPath("nvml.library", "lib/libnvidia-ml.so"));
        assertFalse(AttachProtocol.isPath("include", "a/b"));
        assertFalse(AttachProtocol.isPath("out", ""));
    }
}
