/** Helpers shared by the readers and writers (not exported): bounded reading, atomic writing, the datasets' search order. */
package dev.vectorgrad.data.internal;
