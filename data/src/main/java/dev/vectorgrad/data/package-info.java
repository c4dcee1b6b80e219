/** vectorgrad data: see the module description. */
package dev.vectorgrad.data;
