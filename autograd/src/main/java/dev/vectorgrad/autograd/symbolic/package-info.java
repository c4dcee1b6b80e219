/**
 * A small symbolic differentiator: the lesson's {@code sympy.diff(3*x**2+8, x)} cells in Java.
 *
 * <p>{@link dev.vectorgrad.autograd.symbolic.Expr#parse(String)} reads text such as
 * {@code "3*x^2+8"}, {@link dev.vectorgrad.autograd.symbolic.Expr#diff(String)} differentiates
 * it, and {@link dev.vectorgrad.autograd.symbolic.Expr#toString()} prints the simplified result
 * ({@code "6*x"}). Bad text raises a {@link dev.vectorgrad.autograd.symbolic.ParseException}
 * that points at the column of the problem.
 */
package dev.vectorgrad.autograd.symbolic;
