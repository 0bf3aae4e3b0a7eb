package io.energy.sampling;

/**
 * What kind of thread a sampled stack came from. Java threads carry method frames; the JVM's own threads
 * (collectors, compilers, the VM thread) and the agent's threads get named buckets, so their CPU energy is
 * visible as itself instead of vanishing into a catch-all.
 */
public enum ThreadKind {
    /** An application thread (platform or virtual): the stack's frames are its call path. */
    JAVA,
    /** The energy agent's own work: its threads, and the bridge's frames inside application threads. */
    AGENT,
    /** Garbage collection: GC worker threads, and VM operations that collect. */
    GC,
    /** The JIT compilers. */
    JIT,
    /** Any other JVM-internal or native thread (VM thread, periodic tasks, signal dispatch, ...). */
    VM
}
