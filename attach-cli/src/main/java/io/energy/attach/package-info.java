/**
 * energy-attach: lists JVMs, checks a target from outside ({@code Diagnosis}), loads {@code energy.jar} into it
 * through the JDK's attach API and relays the agent's answer ({@code io.energy.protocol.AttachProtocol}). Runs
 * in its own JVM (the <b>application class loader</b> of {@code java -jar energy-attach.jar}), never in the
 * target.
 */
package io.energy.attach;
