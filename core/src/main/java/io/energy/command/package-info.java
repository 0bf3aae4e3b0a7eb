/**
 * Commands: {@code AgentCore}, the core's front door that the entry calls reflectively for the launch
 * ({@code -javaagent}) and every attach command ({@code start|status|dump|stop}, answered in
 * {@code io.energy.protocol}'s reply format); {@code AgentCommandLine} ({@code java -jar energy.jar doctor|help|
 * version}); {@code BridgeInstaller}, which puts the bridge in the bootstrap loader; the checks around a stop
 * ({@code RestoreCheck}); and {@code MetricsHook}, which opens and closes the Prometheus endpoint with the
 * session. Pipeline: the top; it starts and stops a {@code session} and reads nothing else of the pipeline's
 * data. Depends on {@code session}, never the reverse ({@code PackageCyclesTest}). Core: the agent's
 * <b>private class loader</b>.
 */
package io.energy.command;
