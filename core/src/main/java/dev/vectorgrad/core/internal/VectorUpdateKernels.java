package dev.vectorgrad.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused optimiser updates on the Vector API. Each loop runs whole vectors up to
 * {@code species.loopBound(n)} and hands the tail to {@link ScalarUpdateKernels}.
 *
 * <p>No {@code fma}: an update streams three to seven arrays through memory for a handful of
 * flops per element, so fusing a multiply-add buys no time, and with separately rounded
 * multiplies and adds every lane computes exactly what the scalar twin computes. A training
 * run's numbers then do not depend on {@code vectorgrad.vectorBitSize}.
 */
final class VectorUpdateKernels implements UpdateKernels {

    // A static final species is a JIT constant (see VectorKernels): C2 intrinsifies only then.
    private static final VectorSpecies<Float> species = VectorMatmul.S;
    private static final int lanes = species.length();

    private final ScalarUpdateKernels tail = ScalarUpdateKernels.INSTANCE;

    VectorUpdateKernels(VectorSpecies<Float> species) {
        if (!species.equals(VectorUpdateKernels.species)) {
            throw new IllegalArgumentException("VectorUpdateKernels: the species is fixed at start-up to "
                    + VectorUpdateKernels.species + " (vectorgrad.vectorBitSize), got " + species);
        }
    }

    @Override
    public void sgd(float[] p, int pOff, float[] g, int gOff, int n, float lr, float weightDecay, float decay) {
        // One read of p and g and one write of p per element: decay, L2 term and step in one
        // pass. The weight-decay test is loop-invariant, so C2 unswitches it out of the loop.
        boolean l2 = weightDecay != 0f;
        FloatVector vLr = FloatVector.broadcast(species, lr);
        FloatVector vWd = FloatVector.broadcast(species, weightDecay);
        FloatVector vDecay = FloatVector.broadcast(species, decay);
        int i = 0;
        int bound = species.loopBound(n);
        for (; i < bound; i += lanes) {
            FloatVector pv = FloatVector.fromArray(species, p, pOff + i);
            FloatVector d = FloatVector.fromArray(species, g, gOff + i);
            if (l2) {
                d = d.add(vWd.mul(pv));
            }
            pv.mul(vDecay).sub(vLr.mul(d)).intoArray(p, pOff + i);
        }
        tail.sgd(p, pOff + i, g, gOff + i, n - i, lr, weightDecay, decay);
    }

    @Override
    public void sgdMomentum(float[] p, int pOff, float[] g, int gOff, float[] buf, int bufOff, int n,
                            float lr, float momentum, float gradScale, boolean nesterov, float weightDecay,
                            float decay, boolean firstStep) {
        // The buffer is updated and used in registers, never re-read: three streams in, two out,
        // where the unfused ops make up to five passes. On the first step the buffer is written
        // and not read (PyTorch clones the gradient into it), so its old contents never matter.
        boolean l2 = weightDecay != 0f;
        FloatVector vLr = FloatVector.broadcast(species, lr);
        FloatVector vMu = FloatVector.broadcast(species, momentum);
        FloatVector vScale = FloatVector.broadcast(species, gradScale);
        FloatVector vWd = FloatVector.broadcast(species, weightDecay);
        FloatVector vDecay = FloatVector.broadcast(species, decay);
        int i = 0;
        int bound = species.loopBound(n);
        for (; i < bound; i += lanes) {
            FloatVector pv = FloatVector.fromArray(species, p, pOff + i);
            FloatVector d = FloatVector.fromArray(species, g, gOff + i);
            if (l2) {
                d = d.add(vWd.mul(pv));
            }
            FloatVector b = firstStep ? d
                    : FloatVector.fromArray(species, buf, bufOff + i).mul(vMu).add(vScale.mul(d));
            b.intoArray(buf, bufOff + i);
            FloatVector step = nesterov ? d.add(vMu.mul(b)) : b;
            pv.mul(vDecay).sub(vLr.mul(step)).intoArray(p, pOff + i);
        }
        tail.sgdMomentum(p, pOff + i, g, gOff + i, buf, bufOff + i, n - i,
                lr, momentum, gradScale, nesterov, weightDecay, decay, firstStep);
    }

    @Override
    public void adam(float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff, int n,
                     float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps, float stepSize,
                     float bc2Sqrt, float weightDecay, float decay) {
        // Both moments and the step in one pass (four streams in, three out), where the unfused
        // tensor ops make eight passes and two temporaries; the bias corrections arrive folded
        // into two scalars, so the loop has no pow, only one sqrt and two divides per element.
        boolean l2 = weightDecay != 0f;
        FloatVector vC1 = FloatVector.broadcast(species, oneMinusBeta1);
        FloatVector vB2 = FloatVector.broadcast(species, beta2);
        FloatVector vC2 = FloatVector.broadcast(species, oneMinusBeta2);
        FloatVector vEps = FloatVector.broadcast(species, eps);
        FloatVector vStep = FloatVector.broadcast(species, stepSize);
        FloatVector vBc2 = FloatVector.broadcast(species, bc2Sqrt);
        FloatVector vWd = FloatVector.broadcast(species, weightDecay);
        FloatVector vDecay = FloatVector.broadcast(species, decay);
        int i = 0;
        int bound = species.loopBound(n);
        for (; i < bound; i += lanes) {
            FloatVector pv = FloatVector.fromArray(species, p, pOff + i);
            FloatVector d = FloatVector.fromArray(species, g, gOff + i);
            if (l2) {
                d = d.add(vWd.mul(pv));
            }
            FloatVector mv = FloatVector.fromArray(species, m, mOff + i);
            mv = mv.add(vC1.mul(d.sub(mv)));
            FloatVector vv = FloatVector.fromArray(species, v, vOff + i).mul(vB2).add(vC2.mul(d).mul(d));
            mv.intoArray(m, mOff + i);
            vv.intoArray(v, vOff + i);
            FloatVector denom = vv.sqrt().div(vBc2).add(vEps);
            pv.mul(vDecay).sub(vStep.mul(mv.div(denom))).intoArray(p, pOff + i);
        }
        tail.adam(p, pOff + i, g, gOff + i, m, mOff + i, v, vOff + i, n - i,
                oneMinusBeta1, beta2, oneMinusBeta2, eps, stepSize, bc2Sqrt, weightDecay, decay);
    }

    @Override
    public String describe() {
        return "fused updates, Vector API, " + species.vectorBitSize() + " bits, " + lanes + " float lanes";
    }
}
