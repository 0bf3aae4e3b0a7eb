/**
 * JFR: the {@code energy.jfr} file written from the profile without the JDK's recorder, and the live events
 * ({@code energy.PowerSample}, {@code energy.MethodEnergy}, {@code energy.MethodCall}) committed while the agent
 * runs. Builds on {@code report}; {@code report} never names it ({@code PackageCyclesTest}). Core: the agent's
 * <b>private class loader</b>.
 */
package io.energy.report.jfr;
