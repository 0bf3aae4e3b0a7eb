/**
 * Which power source to use: probes every source ({@code doctor} prints them) and opens the one the options
 * and this machine allow. Depends on every {@code power.*} implementation; nothing in {@code power} depends on
 * it. Core: the agent's <b>private class loader</b>.
 */
package io.energy.power.select;
