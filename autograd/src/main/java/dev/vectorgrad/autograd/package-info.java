/** vectorgrad autograd: see the module description. */
package dev.vectorgrad.autograd;
