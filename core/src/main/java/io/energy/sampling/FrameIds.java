package io.energy.sampling;

/** Gives a sampled frame the same id as the method registry gives that method (instrumented or not). */
@FunctionalInterface
public interface FrameIds {
    int id(String className, String methodName);
}
