/**
 * Text helpers with no place in the pipeline of their own (numbers as the outputs and the agent's lines print
 * them), so that any step may use them without depending on another step. Core: the agent's <b>private class
 * loader</b>.
 */
package io.energy.text;
