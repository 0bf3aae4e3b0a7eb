/**
 * Live metrics: {@code EnergyMetrics} turns the session's immutable {@code EnergyProfile} into Prometheus
 * snapshots at scrape time, and {@code PrometheusEndpoint} serves them with the Prometheus client's own HTTP
 * server and writers ({@code prometheus=PORT}; none of it is loaded while the option is off). Pipeline: reads
 * what {@code report} builds, beside the file writers; opened and closed with the session by
 * {@code command.MetricsHook}. Core: the agent's <b>private class loader</b>, with the client relocated to
 * {@code io.energy.shaded.prometheus}.
 */
package io.energy.metrics;
