package io.energy.bridge;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-thread path cap (issue 14): past the cap every new path goes to the thread's one "(other paths)"
 * node, counted, and no table grows. It used to be appended to the root's children again on every miss:
 * 102 002 root children after 82 000 calls, and every later lookup scanning them.
 */
class PathCapTest {
    @AfterEach
    void stopBridge() {
        BridgeTestSupport.stopBridge();
    }

    private static ThreadContext myContext() {
        return BridgeTestSupport.myContext();
    }

    @Test
    void pastTheCapNewRootPathsGoToOneOtherPathsNodeAndTheRootStopsGrowing() {
        EnergyBridge.start(256, 100, 0, null);
        int distinct = 50_000;
        for (int id = 1; id <= distinct; id++) {
            EnergyBridge.exit(EnergyBridge.enter(id));
        }
        ThreadContext ctx = myContext();
        assertSame(ctx.root, ctx.current());
        assertEquals(100, ctx.root.children().length, "only the paths under the cap are children of the root");
        assertEquals(100, ctx.nodeCount());
        assertEquals(distinct - 100, ctx.pathsOverCap, "every call past the cap counted as over the cap");
        assertEquals(distinct - 100, ctx.otherPaths.calls, "and as a call of (other paths)");
        for (PathNode k : ctx.root.children()) {
            assertTrue(k != ctx.otherPaths, "(other paths) is reached through the context, not a child table");
        }
    }

    @Test
    void repeatedMissesPastTheCapKeepEveryTableBoundedAndEveryCallCounted() {
        EnergyBridge.start(256, 100, 0, null);
        // Two callers alternating over 300 callees: every lookup past the cap misses the one-entry cache.
        long calls = 0;
        for (int round = 0; round < 200; round++) {
            for (int id = 1; id <= 300; id++) {
                PathNode outer = EnergyBridge.enter(1_000 + (id & 1));
                EnergyBridge.exit(EnergyBridge.enter(id));
                EnergyBridge.exit(outer);
                calls += 2;
            }
        }
        ThreadContext ctx = myContext();
        int nodes = 0;
        java.util.ArrayDeque<PathNode> todo = new java.util.ArrayDeque<>();
        todo.add(ctx.root);
        while (!todo.isEmpty()) {
            PathNode n = todo.pop();
            for (PathNode k : n.children()) {
                nodes++;
                todo.add(k);
            }
        }
        assertEquals(100, nodes, "the tree holds exactly the capped number of nodes");
        long counted = ctx.otherPaths.calls;
        todo.add(ctx.root);
        while (!todo.isEmpty()) {
            PathNode n = todo.pop();
            for (PathNode k : n.children()) {
                counted += k.calls;
                todo.add(k);
            }
        }
        assertEquals(calls, counted, "every call is a call of its path or of (other paths)");
    }

    @Test
    void callsNestedInsideOtherPathsAreCountedAsItsCalls() {
        EnergyBridge.start(256, 100, 0, null);
        // 200 distinct root methods, each calling two more, under a cap of 100 nodes: the first 33 callers and their
        // callees fill 99 nodes, the 34th the last; every later caller lands in (other paths) with both its calls
        // nested inside it. Those nested calls used to be counted nowhere (168 calls of (other paths), not 500).
        long calls = 0;
        for (int id = 1; id <= 200; id++) {
            PathNode outer = EnergyBridge.enter(id);
            EnergyBridge.exit(EnergyBridge.enter(10_000 + id));
            EnergyBridge.exit(EnergyBridge.enter(20_000 + id));
            EnergyBridge.exit(outer);
            calls += 3;
        }
        ThreadContext ctx = myContext();
        long counted = ctx.otherPaths.calls;
        java.util.ArrayDeque<PathNode> todo = new java.util.ArrayDeque<>(java.util.List.of(ctx.root));
        while (!todo.isEmpty()) {
            for (PathNode k : todo.pop().children()) {
                counted += k.calls;
                todo.add(k);
            }
        }
        assertEquals(100, ctx.nodeCount());
        assertTrue(ctx.otherPaths.calls > 2 * 100, "the nested calls are there: " + ctx.otherPaths.calls);
        assertEquals(calls, counted, "every call counted once, those nested inside (other paths) included");
        assertSame(ctx.root, ctx.current());
    }

    /** Each of {@code threads} threads, one after the other (all alive), calls 100 distinct methods at its root. */
    private static java.util.List<ThreadContext> distinctPathsOn(int threads) throws InterruptedException {
        java.util.List<ThreadContext> made = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.CountDownLatch end = new java.util.concurrent.CountDownLatch(1);
        java.util.List<Thread> started = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            Thread th = new Thread(() -> {
                for (int id = 1; id <= 100; id++) {
                    EnergyBridge.exit(EnergyBridge.enter(id));
                }
                made.add(myContext());
                done.countDown();
                try {
                    end.await(); // stay alive: a live thread's tree is kept
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            th.start();
            started.add(th);
            done.await();
        }
        end.countDown();
        for (Thread th : started) {
            th.join();
        }
        return made;
    }

    @Test
    void allThreadsTogetherHoldAtMostFourTimesTheCapAndEveryCallIsStillCounted() throws InterruptedException {
        EnergyBridge.start(256, 100, 0, null);
        java.util.List<ThreadContext> ctxs = distinctPathsOn(10);
        int nodes = 0;
        long counted = 0;
        for (ThreadContext c : ctxs) {
            nodes += c.nodeCount();
            counted += c.otherPaths.calls;
            for (PathNode k : c.root.children()) {
                counted += k.calls;
            }
        }
        assertEquals(NodeBudget.THREADS_FACTOR * 100, nodes, "10 threads of 100 paths each, 400 kept in all");
        assertEquals(10 * 100, counted, "the rest counted in their threads' (other paths)");
        assertEquals(0, ctxs.get(9).nodeCount(), "the last thread found the budget spent");
        assertEquals(100, ctxs.get(9).pathsOverCap);
    }

    @Test
    void aForgottenThreadsNodesGoBackToTheBudget() throws InterruptedException {
        EnergyBridge.start(256, 100, 0, null);
        java.util.List<ThreadContext> first = distinctPathsOn(4);
        assertEquals(400, first.get(0).budget.used());
        for (ThreadContext c : first) {
            EnergyBridge.forget(c);
        }
        assertEquals(0, first.get(0).budget.used());
        java.util.List<ThreadContext> next = distinctPathsOn(1);
        assertEquals(100, next.get(0).nodeCount(), "a new thread has room again");
    }
}
