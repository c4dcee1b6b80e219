/** Helpers shared by the readers and writers (not exported): bounded reading, atomic writing. */
package dev.vectorgrad.data.internal;
