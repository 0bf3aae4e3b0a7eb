/**
 * Weaves {@code EnergyBridge.enter/exit} into the configured methods (a {@code ClassFileTransformer} and an ASM
 * {@code MethodWeaver}) and takes it out again; {@code MethodRegistry} gives each method its id. Second step:
 * after {@code config}, before the bridge runs in application threads. Core: the agent's <b>private class
 * loader</b>; the bytecode it writes runs in the application's loaders and calls the bootstrap bridge.
 */
package io.energy.instrument;
