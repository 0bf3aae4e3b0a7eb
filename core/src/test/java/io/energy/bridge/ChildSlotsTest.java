package io.energy.bridge;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The bridge's fast path (issue 13): children are found through a per-node slot table by method id and threads
 * through a per-thread-id table, both caches in front of the truth (the children array, the thread-local). Every
 * call is counted exactly whichever way it is found; calls past the depth cap are never taken for a cached child.
 */
class ChildSlotsTest {
    @AfterEach
    void stopBridge() {
        BridgeTestSupport.stopBridge();
    }

    private static ThreadContext myContext() {
        return BridgeTestSupport.myContext();
    }

    private static PathNode child(PathNode parent, int id) {
        for (PathNode k : parent.children()) {
            if (k.methodId == id) {
                return k;
            }
        }
        throw new AssertionError("no child " + id);
    }

    @Test
    void childrenCalledInTurnAndChildrenSharingASlotAreEachCountedExactly() {
        EnergyBridge.start(256, 20_000, 0, null);
        // 100 callees under one caller (more than the slot table's cap) and ids 64 apart (one slot for all of them).
        int[] ids = new int[130];
        for (int i = 0; i < 100; i++) {
            ids[i] = 1 + i;
        }
        for (int i = 100; i < ids.length; i++) {
            ids[i] = 1_000 + PathNode.MAX_SLOTS * (i - 99);
        }
        for (int round = 0; round < 50; round++) {
            PathNode outer = EnergyBridge.enter(10_000);
            for (int id : ids) {
                EnergyBridge.exit(EnergyBridge.enter(id));
            }
            EnergyBridge.exit(outer);
        }
        ThreadContext ctx = myContext();
        assertSame(ctx.root, ctx.current());
        PathNode outer = child(ctx.root, 10_000);
        assertEquals(50, outer.calls);
        assertEquals(ids.length, outer.children().length, "one node per callee");
        for (int id : ids) {
            assertEquals(50, child(outer, id).calls, "calls of " + id);
        }
    }

    @Test
    void callsPastTheDepthCapAreCountedAsSuchEveryTime() {
        EnergyBridge.start(2, 20_000, 0, null);
        for (int round = 0; round < 10; round++) {
            PathNode a = EnergyBridge.enter(1);
            PathNode b = EnergyBridge.enter(2);
            PathNode c = EnergyBridge.enter(3); // depth 3: past the cap, the path stays at 1 > 2
            EnergyBridge.exit(c);
            EnergyBridge.exit(b);
            EnergyBridge.exit(a);
        }
        ThreadContext ctx = myContext();
        PathNode two = child(child(ctx.root, 1), 2);
        assertEquals(10, two.calls, "the deepest path under the cap");
        assertEquals(0, two.children().length);
        assertEquals(10, ctx.callsBeyondDepth, "every call past the cap, none taken for a cached child");
        assertSame(ctx.root, ctx.current());
    }

    @Test
    void aNewSessionGivesAThreadANewContextAndForgettingClearsItsSlot() throws Exception {
        EnergyBridge.start(256, 20_000, 0, null);
        EnergyBridge.exit(EnergyBridge.enter(7));
        ThreadContext first = myContext();
        EnergyBridge.start(256, 20_000, 0, null);
        EnergyBridge.exit(EnergyBridge.enter(7));
        ThreadContext second = myContext();
        assertNotSame(first, second, "start() begins a new generation of contexts");
        assertEquals(1, first.root.children()[0].calls, "the old session's tree is left as it was");
        assertEquals(1, second.root.children()[0].calls);

        AtomicReference<ThreadContext> other = new AtomicReference<>();
        Thread t = new Thread(() -> {
            EnergyBridge.exit(EnergyBridge.enter(8));
            other.set(EnergyBridge.context(Thread.currentThread()));
        });
        t.start();
        t.join();
        ThreadContext ended = other.get();
        int slot = (int) t.getId() & (EnergyBridge.SLOTS - 1);
        assertSame(ended, ended.slots[slot], "the thread's context sits in its slot");
        EnergyBridge.forget(ended);
        assertNotSame(ended, ended.slots[slot], "a forgotten context leaves the table");
        assertEquals(1, ended.root.children()[0].calls);
    }
}
