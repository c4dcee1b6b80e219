/** vectorgrad nn: see the module description. */
package dev.vectorgrad.nn;
