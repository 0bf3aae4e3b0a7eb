/**
 * Options in, {@code Config} out: {@code OptionTable} lists every key once (default, bounds, help),
 * {@code ConfigParser} merges agent arguments, {@code -Denergy.*} and {@code config=FILE} and validates them.
 * First step of the pipeline; everything downstream reads the immutable {@code Config}. Core: the agent's
 * <b>private class loader</b>.
 */
package io.energy.config;
