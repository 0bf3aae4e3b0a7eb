/**
 * The sample applications ({@code java -jar sample-apps.jar <name>}): workloads whose energy ranking is known
 * in advance, run with or without the agent, and the targets of the agent's and energy-attach's forked-JVM
 * tests. Plain application code in the application class loader; carries its own Jackson, Byte Buddy and JNA
 * so the tests see the agent keep its copies apart.
 */
package io.energy.samples;
