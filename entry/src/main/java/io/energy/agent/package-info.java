/**
 * The entry: {@code premain}/{@code agentmain} and {@code java -jar energy.jar}. Loaded by the
 * <b>application (system) class loader</b> from the top of {@code energy.jar}, next to {@code io.energy.protocol};
 * it may name only {@code java.*} and the protocol: its module, {@code entry/}, depends on {@code protocol/}
 * alone, so the compiler refuses anything else ({@code ClassLoaderBoundaryTest} checks the shipped classes too).
 * It installs the bridge in the bootstrap loader, opens the core ({@code META-INF/energy/energy-core.jar}) in the
 * agent's private loader and hands every call to {@code io.energy.command.AgentCore}, reflectively.
 */
package io.energy.agent;
