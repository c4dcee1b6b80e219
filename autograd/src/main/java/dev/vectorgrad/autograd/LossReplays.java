package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Fused;
import dev.vectorgrad.core.Tensor;

/**
 * Replays of the losses {@link Losses#nll(Var, Tensor)} and
 * {@link Losses#binaryCrossEntropyWithLogits}: like {@link Replays.CrossEntropy}, each computes
 * its input's gradient in the same pass as its value once the graph fuses it as its output.
 */
final class LossReplays {

    private LossReplays() {}

    /** Mean negative log-likelihood of log-probabilities against class indices held in a tensor. */
    static final class Nll implements Replays.FusedLoss {
        private final Tensor logProbs;
        private final Tensor targets;
        private final Tensor out;
        private Tensor fusedGrad;
        private boolean fusedAcc;

        Nll(Tensor logProbs, Tensor targets, Tensor out) {
            this.logProbs = logProbs;
            this.targets = targets;
            this.out = out;
        }

        @Override
        public void fuseGradient(Tensor[] gIn, boolean[] acc) {
            fusedGrad = gIn[0];
            fusedAcc = acc[0];
        }

        @Override
        public void forward() {
            out.fillInPlace((float) Fused.nllLoss(logProbs, targets, fusedGrad, 1f, fusedAcc));
        }

        @Override
        public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
            if (gIn[0] != null && fusedGrad == null) {
                Fused.nllLoss(logProbs, targets, gIn[0], g.item(), acc[0]);
            }
        }
    }

    /** Mean binary cross-entropy of logits, with an optional weight of positives. */
    static final class BceWithLogits implements Replays.FusedLoss {
        private final Tensor input;
        private final Tensor target;
        private final Tensor posWeight;
        private final Tensor out;
        private Tensor fusedGrad;
        private boolean fusedAcc;

        BceWithLogits(Tensor input, Tensor target, Tensor posWeight, Tensor out) {
            this.input = input;
            this.target = target;
            this.posWeight = posWeight;
            this.out = out;
        }

        @Override
        public void fuseGradient(Tensor[] gIn, boolean[] acc) {
            fusedGrad = gIn[0];
            fusedAcc = acc[0];
        }

        @Override
        public void forward() {
            out.fillInPlace((float) Fused.binaryCrossEntropyWithLogits(input, target, posWeight, fusedGrad, 1f, fusedAcc));
        }

        @Override
        public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
            if (gIn[0] != null && fusedGrad == null) {
                Fused.binaryCrossEntropyWithLogits(input, target, posWeight, gIn[0], g.item(), acc[0]);
            }
        }
    }
}
