package dev.vectorgrad.core;

import java.util.Arrays;

import dev.vectorgrad.core.internal.Kernels;
import dev.vectorgrad.core.internal.UpdateKernels;

/**
 * Fused optimiser updates: one pass over a parameter, its gradient and the optimiser's state
 * per step, in place, following PyTorch's {@code torch.optim.SGD}, {@code Adam} and
 * {@code AdamW} element for element. {@code dev.vectorgrad.nn.optim} calls these; they are
 * public so that a user's own training loop or optimiser can too.
 *
 * <p>Two kinds of weight decay, both optional and combinable:
 * <ul>
 *   <li>{@code weightDecay}, the L2 penalty PyTorch's SGD and Adam call {@code weight_decay}:
 *       {@code g = grad + weightDecay*param} enters the momentum or the moments;</li>
 *   <li>{@code decoupledWeightDecay}, AdamW's: {@code param *= 1 - lr*decoupledWeightDecay}
 *       before the gradient step, outside every buffer.</li>
 * </ul>
 * When both are set, the L2 term is computed from the parameter before it is decayed.
 *
 * <p>Layouts: the parameter may be any view that does not repeat an element (a transposed or
 * sliced parameter works; an {@link Tensor#expand expanded} one is refused); the gradient may
 * be any view of the parameter's shape; the optimiser's buffers must be contiguous, as
 * {@link Tensor#zeros} makes them. A contiguous parameter and gradient take one kernel call
 * and allocate nothing; other layouts are walked run by run (and allocate a little bookkeeping).
 * No argument may share storage with another. Every tensor written (the parameter and the
 * buffers) has its {@link Tensor#version()} bumped, as the in-place tensor ops do.
 *
 * <p>The SIMD kernels and their scalar twins compute the same bits (no fused multiply-add), so
 * a training run does not depend on {@code vectorgrad.vectorBitSize}.
 */
public final class Updates {

    private static final UpdateKernels K = Kernels.UPDATES;

    private Updates() {}

    /**
     * One step of SGD on one parameter, as {@code torch.optim.SGD} (plus AdamW-style decoupled
     * decay, which PyTorch's SGD lacks):
     *
     * <pre>
     * g = grad + weightDecay*param
     * param *= 1 - lr*decoupledWeightDecay
     * if momentum != 0:
     *     buf = firstStep ? g : momentum*buf + (1 - dampening)*g
     *     g = nesterov ? g + momentum*buf : buf
     * param -= lr*g
     * </pre>
     *
     * @param param the parameter, updated in place
     * @param grad its gradient, of the same shape; only read
     * @param momentumBuffer the momentum buffer (contiguous, the parameter's shape), updated in
     *     place; null exactly when {@code momentum == 0}
     * @param lr the learning rate, finite and {@code >= 0}
     * @param momentum the momentum factor, in [0, 1)
     * @param dampening dampening of the gradient entering the buffer, in [0, 1]
     * @param nesterov Nesterov momentum; needs {@code momentum > 0} and {@code dampening == 0}
     * @param weightDecay the L2 coefficient, finite and {@code >= 0}
     * @param decoupledWeightDecay the decoupled coefficient, finite and {@code >= 0}
     * @param firstStep whether this is the parameter's first update: the buffer is then set to
     *     {@code g} and its previous contents are ignored
     * @throws IllegalArgumentException on a null, mismatched, aliased or badly laid out tensor
     *     or a hyper-parameter out of range, before anything is written
     */
    public static void sgd(Tensor param, Tensor grad, Tensor momentumBuffer, float lr, float momentum,
                           float dampening, boolean nesterov, float weightDecay, float decoupledWeightDecay,
                           boolean firstStep) {
        String op = "Updates.sgd";
        checkParamAndGrad(op, param, grad);
        checkFinite(op, "lr", lr, 0f, Float.POSITIVE_INFINITY);
        checkFinite(op, "momentum", momentum, 0f, 1f);
        if (!(dampening >= 0f && dampening <= 1f)) {
            throw new IllegalArgumentException(op + ": dampening must be in [0, 1], got " + dampening);
        }
        if (nesterov && (momentum == 0f || dampening != 0f)) {
            throw new IllegalArgumentException(op + ": Nesterov momentum needs momentum > 0 and dampening 0, got momentum "
                    + momentum + " and dampening " + dampening);
        }
        checkFinite(op, "weightDecay", weightDecay, 0f, Float.POSITIVE_INFINITY);
        checkFinite(op, "decoupledWeightDecay", decoupledWeightDecay, 0f, Float.POSITIVE_INFINITY);
        if (momentum == 0f) {
            if (momentumBuffer != null) {
                throw new IllegalArgumentException(op + ": momentum is 0, so no momentum buffer is used; pass null,"
                        + " got a tensor of shape " + Shapes.str(momentumBuffer.shapeRef()));
            }
        } else {
            checkBuffer(op, "momentumBuffer", momentumBuffer, param, grad, null);
        }

        float decay = decayFactor(lr, decoupledWeightDecay);
        int n = param.numel();
        float[] pd = param.data();
        float[] gd = grad.data();
        if (momentum == 0f) {
            if (param.isContiguous() && grad.isContiguous()) {
                K.sgd(pd, param.offset(), gd, grad.offset(), n, lr, weightDecay, decay);
            } else {
                runs(param, grad, null, null,
                        (po, go, bo, vo, len) -> K.sgd(pd, po, gd, go, len, lr, weightDecay, decay));
            }
        } else {
            float gradScale = (float) (1.0 - dampening);
            float[] bd = momentumBuffer.data();
            if (param.isContiguous() && grad.isContiguous()) {
                K.sgdMomentum(pd, param.offset(), gd, grad.offset(), bd, momentumBuffer.offset(), n,
                        lr, momentum, gradScale, nesterov, weightDecay, decay, firstStep);
            } else {
                runs(param, grad, momentumBuffer, null, (po, go, bo, vo, len) -> K.sgdMomentum(
                        pd, po, gd, go, bd, bo, len, lr, momentum, gradScale, nesterov, weightDecay, decay, firstStep));
            }
            momentumBuffer.bumpVersion();
        }
        param.bumpVersion();
    }

    /**
     * One step of Adam on one parameter, as {@code torch.optim.Adam} (with {@code weightDecay})
     * and {@code torch.optim.AdamW} (with {@code decoupledWeightDecay}):
     *
     * <pre>
     * g = grad + weightDecay*param
     * param *= 1 - lr*decoupledWeightDecay
     * m = beta1*m + (1 - beta1)*g
     * v = beta2*v + (1 - beta2)*g*g
     * param -= lr/(1 - beta1^step) * m / (sqrt(v)/sqrt(1 - beta2^step) + eps)
     * </pre>
     *
     * The bias corrections are computed in double from {@code step}, this parameter's own count
     * of updates, so a parameter whose first gradient comes late starts as if it were step 1.
     *
     * @param param the parameter, updated in place
     * @param grad its gradient, of the same shape; only read
     * @param m the first moment (contiguous, the parameter's shape, zero before step 1), updated in place
     * @param v the second moment (likewise), updated in place
     * @param step the 1-based number of this update of this parameter
     * @param lr the learning rate, finite and {@code >= 0}
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param eps added to the denominator, finite and {@code > 0}
     * @param weightDecay the L2 coefficient (Adam's {@code weight_decay}), finite and {@code >= 0}
     * @param decoupledWeightDecay the decoupled coefficient (AdamW's {@code weight_decay}), finite and {@code >= 0}
     * @throws IllegalArgumentException on a null, mismatched, aliased or badly laid out tensor,
     *     a step below 1 or a hyper-parameter out of range, before anything is written
     */
    public static void adam(Tensor param, Tensor grad, Tensor m, Tensor v, long step, float lr, float beta1,
                            float beta2, float eps, float weightDecay, float decoupledWeightDecay) {
        String op = "Updates.adam";
        checkParamAndGrad(op, param, grad);
        checkBuffer(op, "m", m, param, grad, null);
        checkBuffer(op, "v", v, param, grad, m);
        if (step < 1) {
            throw new IllegalArgumentException(op + ": step must be >= 1 (this parameter's update count, this update"
                    + " included), got " + step);
        }
        checkFinite(op, "lr", lr, 0f, Float.POSITIVE_INFINITY);
        checkFinite(op, "beta1", beta1, 0f, 1f);
        checkFinite(op, "beta2", beta2, 0f, 1f);
        if (!(eps > 0f && eps < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(op + ": eps must be finite and > 0, got " + eps);
        }
        checkFinite(op, "weightDecay", weightDecay, 0f, Float.POSITIVE_INFINITY);
        checkFinite(op, "decoupledWeightDecay", decoupledWeightDecay, 0f, Float.POSITIVE_INFINITY);

        // In double, as PyTorch's Python floats: beta^step underflows to 0 gracefully for long runs.
        double bc1 = 1.0 - Math.pow(beta1, step);
        double bc2 = 1.0 - Math.pow(beta2, step);
        float stepSize = (float) (lr / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        float c1 = (float) (1.0 - beta1);
        float c2 = (float) (1.0 - beta2);
        float decay = decayFactor(lr, decoupledWeightDecay);
        float[] pd = param.data();
        float[] gd = grad.data();
        float[] md = m.data();
        float[] vd = v.data();
        if (param.isContiguous() && grad.isContiguous()) {
            K.adam(pd, param.offset(), gd, grad.offset(), md, m.offset(), vd, v.offset(), param.numel(),
                    c1, beta2, c2, eps, stepSize, bc2Sqrt, weightDecay, decay);
        } else {
            runs(param, grad, m, v, (po, go, mo, vo, len) -> K.adam(
                    pd, po, gd, go, md, mo, vd, vo, len, c1, beta2, c2, eps, stepSize, bc2Sqrt, weightDecay, decay));
        }
        m.bumpVersion();
        v.bumpVersion();
        param.bumpVersion();
    }

    /** {@code 1 - lr*decoupledWeightDecay} computed in double and rounded once, as PyTorch's Python float. */
    private static float decayFactor(float lr, float decoupledWeightDecay) {
        return (float) (1.0 - (double) lr * decoupledWeightDecay);
    }

    private static void checkFinite(String op, String what, float value, float lo, float hi) {
        if (!(value >= lo && value < hi)) {
            throw new IllegalArgumentException(op + ": " + what + " must be "
                    + (hi == Float.POSITIVE_INFINITY ? "finite and >= " + lo : "in [" + lo + ", " + hi + ")")
                    + ", got " + value);
        }
    }

    private static void checkParamAndGrad(String op, Tensor param, Tensor grad) {
        if (param == null || grad == null) {
            throw new IllegalArgumentException(op + ": " + (param == null ? "param" : "grad") + " is null");
        }
        if (!Arrays.equals(param.shapeRef(), grad.shapeRef())) {
            throw new IllegalArgumentException(op + ": grad has shape " + Shapes.str(grad.shapeRef())
                    + " but param has shape " + Shapes.str(param.shapeRef()) + ": shapes must be equal");
        }
        int[] shape = param.shapeRef();
        int[] strides = param.stridesRef();
        for (int d = 0; d < shape.length; d++) {
            if (strides[d] == 0 && shape[d] > 1) {
                throw new IllegalArgumentException(op + ": cannot update an expanded view of shape " + Shapes.str(shape)
                        + " (dim " + d + " repeats one element); a parameter must own each of its elements");
            }
        }
        if (grad.sharesStorageWith(param)) {
            throw new IllegalArgumentException(op + ": grad shares storage with param (shape " + Shapes.str(shape)
                    + "); the update would read gradient values it has already overwritten");
        }
    }

    private static void checkBuffer(String op, String name, Tensor buf, Tensor param, Tensor grad, Tensor other) {
        if (buf == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null; pass a tensor of the parameter's shape "
                    + Shapes.str(param.shapeRef()) + ", e.g. Tensor.zeros(param.shape())");
        }
        if (!Arrays.equals(buf.shapeRef(), param.shapeRef())) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + Shapes.str(buf.shapeRef())
                    + " but param has shape " + Shapes.str(param.shapeRef()) + ": shapes must be equal");
        }
        if (!buf.isContiguous()) {
            throw new IllegalArgumentException(op + ": " + name + " must be contiguous (an optimiser's own buffer,"
                    + " e.g. Tensor.zeros(param.shape())), got a strided view of shape " + Shapes.str(buf.shapeRef())
                    + " with strides " + Arrays.toString(buf.stridesRef()));
        }
        if (buf.sharesStorageWith(param) || buf.sharesStorageWith(grad) || other != null && buf.sharesStorageWith(other)) {
            String with = buf.sharesStorageWith(param) ? "param" : buf.sharesStorageWith(grad) ? "grad" : "m";
            throw new IllegalArgumentException(op + ": " + name + " shares storage with " + with
                    + "; each buffer needs storage of its own");
        }
    }

    /** A kernel call on one run: offsets into param, grad and up to two buffers, and a length. */
    private interface Run {
        void at(int pOff, int gOff, int aOff, int bOff, int n);
    }

    /**
     * Walks a non-contiguous parameter or gradient in runs: after merging dims that are back
     * to back in every operand, a run whose inner strides are all 1 is one kernel call, and any
     * other run goes element by element (the kernels take unit-stride runs only).
     */
    private static void runs(Tensor param, Tensor grad, Tensor a, Tensor b, Run run) {
        if (param.numel() == 0) {
            return;
        }
        int ops = b != null ? 4 : a != null ? 3 : 2;
        StridedLoop.Layout l = StridedLoop.Layout.begin(param.shapeRef(), ops).operand(0, param).operand(1, grad);
        if (a != null) {
            l.operand(2, a);
        }
        if (b != null) {
            l.operand(3, b);
        }
        l.coalesce();
        try {
            int n = l.inner;
            int s0 = l.innerStride(0);
            int s1 = l.innerStride(1);
            int s2 = ops > 2 ? l.innerStride(2) : 0;
            int s3 = ops > 3 ? l.innerStride(3) : 0;
            boolean unit = s0 == 1 && s1 == 1 && (ops < 3 || s2 == 1) && (ops < 4 || s3 == 1);
            int[] off = l.off;
            for (int r = 0, count = l.outerCount(); r < count; r++) {
                int ao = ops > 2 ? off[2] : 0;
                int bo = ops > 3 ? off[3] : 0;
                if (unit) {
                    run.at(off[0], off[1], ao, bo, n);
                } else {
                    for (int i = 0; i < n; i++) {
                        run.at(off[0] + i * s0, off[1] + i * s1, ao + i * s2, bo + i * s3, 1);
                    }
                }
                l.advance();
            }
        } finally {
            l.release();
        }
    }
}
