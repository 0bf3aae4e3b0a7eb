/**
 * What the entry, the core and energy-attach must agree on: agent-argument syntax ({@code AgentArgument}), attach
 * commands, reply form, exit codes and path keys ({@code AttachProtocol}), and how the agent puts its own code
 * on disk ({@code PrivateFiles}: owner-only files nobody can plant). JDK only, a module of its own with no
 * dependency. Loaded three times, stateless each time: by the <b>application class loader</b> with the entry
 * (from the top of {@code energy.jar}), by the agent's <b>private class loader</b> inside the core, and by
 * energy-attach.
 */
package io.energy.protocol;
