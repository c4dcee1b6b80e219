/** JMH benchmarks; see bench/README.md. */
package dev.vectorgrad.bench;
