package dev.vectorgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.vectorgrad.core.Tensor;

/**
 * Reductions along "the" dim of a 0-d Var. PyTorch (and {@link Tensor#sum(int)}) accept dim 0
 * or -1 on a 0-d tensor, treating it as one element: {@code torch.tensor(2.5).sum(0)} is
 * {@code tensor(2.5)}, {@code logsumexp} gives the value itself, {@code log_softmax} gives 0 and
 * {@code softmax} 1; keepdim keeps it 0-d. Any other dim is refused as Tensor refuses it.
 */
class ZeroDimReductionTest {

    private static final float X = -2.5f;

    private static void check(String what, Function<Var, Var> op, float value, float grad) {
        Var x = Var.param(Tensor.scalar(X));
        Var y = op.apply(x);
        assertEquals(0, y.dim(), what + " of a 0-d Var is 0-d");
        assertEquals(value, y.item(), 0f, what);
        y.backward(Tensor.scalar(3f));
        assertEquals(grad, x.grad().item(), 1e-6f, what + ": gradient for an upstream gradient of 3");
        GradCheck.assertGradients(v -> op.apply(v[0]), Tensor.scalar(X));
    }

    @Test
    void dimZeroAndMinusOneReduceAZeroDimVarToItself() {
        for (int dim : new int[] {0, -1}) {
            for (boolean keepdim : new boolean[] {false, true}) {
                String at = "(dim " + dim + ", keepdim " + keepdim + ")";
                check("sum" + at, v -> v.sum(dim, keepdim), X, 3f);
                check("mean" + at, v -> v.mean(dim, keepdim), X, 3f);
                check("logSumExp" + at, v -> v.logSumExp(dim, keepdim), X, 3f);
            }
            check("sum(" + dim + ")", v -> v.sum(dim), X, 3f);
            check("mean(" + dim + ")", v -> v.mean(dim), X, 3f);
            // log_softmax of one element is 0 whatever x is: its gradient is 0, and so is softmax's (it is 1).
            check("logSoftmax(" + dim + ")", v -> v.logSoftmax(dim), 0f, 0f);
            check("softmax(" + dim + ")", v -> v.softmax(dim), 1f, 0f);
        }
    }

    @Test
    void aZeroDimReductionFeedsTheRestOfTheGraph() {
        // d/dx (x.sum(0) * x.logSumExp(-1)) = 2x for a 0-d x
        Var x = Var.param(Tensor.scalar(X));
        x.sum(0).mul(x.logSumExp(-1, true)).backward();
        assertEquals(2 * X, x.grad().item(), 1e-6f);
    }

    @Test
    void otherDimsAreRefusedAsTensorRefusesThem() {
        Var x = Var.param(Tensor.scalar(X));
        for (int dim : new int[] {1, -2, 5}) {
            String expected = "sum: dim " + dim + " is out of range for shape [] (expected a dim in [-1, 0])";
            assertEquals(expected, assertThrows(IndexOutOfBoundsException.class, () -> Tensor.scalar(X).sum(dim))
                    .getMessage(), "the Tensor message this mirrors");
            assertEquals(expected, assertThrows(IndexOutOfBoundsException.class, () -> x.sum(dim)).getMessage());
            assertEquals(expected, assertThrows(IndexOutOfBoundsException.class, () -> x.sum(dim, true)).getMessage());
            assertEquals(expected.replace("sum", "mean"),
                    assertThrows(IndexOutOfBoundsException.class, () -> x.mean(dim, false)).getMessage());
            assertEquals(expected.replace("sum", "logSumExp"),
                    assertThrows(IndexOutOfBoundsException.class, () -> x.logSumExp(dim, false)).getMessage());
            assertEquals(expected.replace("sum", "logSoftmax"),
                    assertThrows(IndexOutOfBoundsException.class, () -> x.logSoftmax(dim)).getMessage());
            assertEquals(expected.replace("sum", "softmax"),
                    assertThrows(IndexOutOfBoundsException.class, () -> x.softmax(dim)).getMessage());
        }
    }
}
