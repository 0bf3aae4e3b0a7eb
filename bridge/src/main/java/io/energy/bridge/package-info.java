/**
 * The bridge between woven application code and the agent: {@code EnergyBridge.enter/exit} move each thread's
 * pointer in its own call tree ({@code ThreadContext}, {@code PathNode}) and count calls. Lives in the
 * <b>bootstrap class loader</b>, because woven code in every loader calls it, so it may reference nothing but
 * {@code java.*}: its module, {@code bridge/}, has no dependency, so the compiler refuses anything else
 * ({@code ClassLoaderBoundaryTest} checks the classes energy.jar ships). Pipeline: written by application
 * threads (via {@code instrument}), read by the collector ({@code attribute.CallPathSampler}).
 */
package io.energy.bridge;
