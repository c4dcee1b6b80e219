package dev.vectorgrad.autograd;

import java.util.Arrays;

import dev.vectorgrad.core.Fused;
import dev.vectorgrad.core.Tensor;

/**
 * Loss functions on {@link Var}s, as {@code torch.nn.functional}: mean squared error,
 * negative log-likelihood and cross-entropy. Each returns a 0-d Var to call
 * {@link Var#backward()} on. Shapes are never broadcast silently: a target of the wrong shape
 * or count is an {@link IllegalArgumentException} that says what was expected.
 */
public final class Losses {

    private Losses() {}

    /**
     * Mean squared error {@code mean((input - target)^2)}, as {@code F.mse_loss(input, target)}
     * with the shapes required to be equal. The lesson's model outputs shape [n, 1] and its
     * targets have shape [n]: pass {@code targ.unsqueeze(1)} (its {@code targ[:, None]}), since
     * broadcasting [n, 1] against [n] would silently compare every output with every target.
     * The gradient with respect to {@code input} is {@code 2 (input - target) / numel}.
     *
     * @param input the predictions
     * @param target the targets, of exactly the input's shape
     * @return the 0-d loss
     */
    public static Var mse(Var input, Var target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException("mse: input of shape " + Shapes.str(input.shape())
                    + " and target of shape " + Shapes.str(target.shape()) + " differ; the shapes must be equal"
                    + " (for predictions [n, 1] and targets [n] pass target.unsqueeze(1), the lesson's targ[:, None])");
        }
        Tensor x = input.value();
        Tensor t = target.value();
        Tensor out = Tensor.scalar((float) Fused.meanSquaredError(x, t, null, 1f, false));
        return Var.record("mse", out, new Var[] {input, target}, new Tensor[] {x, t}, (g, sink) -> {
            float s = g.item();
            if (sink.needs(0)) {
                Tensor gx = Tensor.zeros(x.shape());
                Fused.meanSquaredError(x, t, gx, s, false);
                sink.add(0, gx, true);
            }
            if (sink.needs(1)) {
                // d/dt mean((x - t)^2) is the same formula with the roles swapped.
                Tensor gt = Tensor.zeros(t.shape());
                Fused.meanSquaredError(t, x, gt, s, false);
                sink.add(1, gt, true);
            }
        }, () -> new Replays.MeanSquaredError(x, t, out));
    }

    /**
     * {@link #mse(Var, Var)} against a target that needs no gradient.
     *
     * @param input the predictions
     * @param target the targets, of exactly the input's shape
     * @return the 0-d loss
     */
    public static Var mse(Var input, Tensor target) {
        return mse(input, Var.constant(target));
    }

    /**
     * Negative log-likelihood: {@code -mean(logProbs[i, targets[i]])}, as {@code F.nll_loss}.
     *
     * @param logProbs log-probabilities of shape [n, classes] (e.g. from {@link Var#logSoftmax})
     * @param targets n class indices in {@code [0, classes)}
     * @return the 0-d loss
     */
    public static Var nll(Var logProbs, int[] targets) {
        checkLogits("nll", logProbs);
        return logProbs.gather("nll", targets.clone()).mean().neg();
    }

    /**
     * {@link #nll(Var, int[])} with the targets as a 1-d tensor of whole numbers (the lesson's
     * {@code y_train}).
     *
     * @param logProbs log-probabilities of shape [n, classes]
     * @param targets a 1-d tensor of n class indices
     * @return the 0-d loss
     */
    public static Var nll(Var logProbs, Tensor targets) {
        checkLogits("nll", logProbs);
        Targets.toIndices("nll", targets, logProbs.size(0), logProbs.size(1)); // the op's own messages
        Tensor lp = logProbs.value();
        Tensor out = Tensor.scalar((float) Fused.nllLoss(lp, targets, null, 1f, false));
        return Var.record("nll", out, new Var[] {logProbs}, new Tensor[] {targets}, (g, sink) -> {
            Tensor gl = Tensor.zeros(lp.shape());
            Fused.nllLoss(lp, targets, gl, g.item(), false);
            sink.add(0, gl, true);
        }, () -> new LossReplays.Nll(lp, targets, out));
    }

    /**
     * Binary cross-entropy of logits, {@code F.binary_cross_entropy_with_logits(input, target)}:
     * the mean over all elements of {@code -[y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))]},
     * computed in the stable form of {@link Fused#binaryCrossEntropyWithLogits} (finite for logits
     * of any size). The gradient with respect to the input is {@code (sigmoid(x) - y) / numel}.
     *
     * @param input logits of any shape
     * @param target targets (probabilities, usually 0 or 1) of exactly the input's shape
     * @return the 0-d loss
     */
    public static Var binaryCrossEntropyWithLogits(Var input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null);
    }

    /**
     * {@link #binaryCrossEntropyWithLogits(Var, Tensor)} with PyTorch's {@code pos_weight}: the
     * positive term {@code y log sigmoid(x)} is weighted by posWeight (one per class of the last
     * dims, or one number), trading recall against precision.
     *
     * @param input logits of any shape
     * @param target targets of exactly the input's shape
     * @param posWeight null, one element, or the shape of input's trailing dims (e.g. [classes])
     * @return the 0-d loss
     */
    public static Var binaryCrossEntropyWithLogits(Var input, Tensor target, Tensor posWeight) {
        if (target == null) {
            throw new IllegalArgumentException("binaryCrossEntropyWithLogits: target must not be null");
        }
        Tensor x = input.value();
        Tensor out = Tensor.scalar((float) Fused.binaryCrossEntropyWithLogits(x, target, posWeight, null, 1f, false));
        Tensor[] saved = posWeight == null ? new Tensor[] {x, target} : new Tensor[] {x, target, posWeight};
        return Var.record("binaryCrossEntropyWithLogits", out, new Var[] {input}, saved, (g, sink) -> {
            Tensor gx = Tensor.zeros(x.shape());
            Fused.binaryCrossEntropyWithLogits(x, target, posWeight, gx, g.item(), false);
            sink.add(0, gx, true);
        }, () -> new LossReplays.BceWithLogits(x, target, posWeight, out));
    }

    /**
     * Cross-entropy of raw scores, {@code nll(logSoftmax(logits, 1), targets)}, as
     * {@code F.cross_entropy}, in one fused op. Each row's maximum is subtracted first, so logits
     * of magnitude 1e4 give finite losses and gradients. A {@link CapturedGraph} does not replay
     * this form (an int[] is read once); use {@link #crossEntropy(Var, Tensor)} there.
     *
     * @param logits scores of shape [n, classes]
     * @param targets n class indices in {@code [0, classes)}
     * @return the 0-d loss
     */
    public static Var crossEntropy(Var logits, int[] targets) {
        checkLogits("crossEntropy", logits);
        Targets.check("crossEntropy", targets, logits.size(0), logits.size(1));
        // An int[] is read once, when the op runs: a captured graph would replay these labels.
        Tracer.refuse("crossEntropy", "its targets are an int[], read once; pass them as a Tensor to replay");
        float[] t = new float[targets.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = targets[i];
        }
        return fusedCrossEntropy(logits, Tensor.wrap(t, t.length));
    }

    /**
     * {@link #crossEntropy(Var, int[])} with the targets as a 1-d tensor of whole numbers (what a
     * {@code DataLoader} batch holds). One fused op: the loss and, backward, the logits' gradient
     * {@code (softmax - onehot) / n} in one pass each ({@link Fused#softmaxCrossEntropy}); the
     * targets are read when the op runs, so a {@link CapturedGraph} replays it with new labels.
     *
     * @param logits scores of shape [n, classes]
     * @param targets a 1-d tensor of n class indices
     * @return the 0-d loss
     */
    public static Var crossEntropy(Var logits, Tensor targets) {
        checkLogits("crossEntropy", logits);
        Targets.toIndices("crossEntropy", targets, logits.size(0), logits.size(1)); // the op's own messages
        return fusedCrossEntropy(logits, targets);
    }

    /**
     * {@link #crossEntropy(Var, int[])} with label smoothing (see {@link #crossEntropy(Var, Tensor, float)});
     * a {@link CapturedGraph} does not replay this form.
     *
     * @param logits scores of shape [n, classes]
     * @param targets n class indices in {@code [0, classes)}
     * @param labelSmoothing eps in [0, 1]
     * @return the 0-d loss
     */
    public static Var crossEntropy(Var logits, int[] targets, float labelSmoothing) {
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
            throw new IllegalArgumentException("crossEntropy: labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        checkLogits("crossEntropy", logits);
        Targets.check("crossEntropy", targets, logits.size(0), logits.size(1));
        Tracer.refuse("crossEntropy", "its targets are an int[], read once; pass them as a Tensor to replay");
        float[] t = new float[targets.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = targets[i];
        }
        return fusedCrossEntropy(logits, Tensor.wrap(t, t.length), labelSmoothing);
    }

    /**
     * {@link #crossEntropy(Var, Tensor)} with label smoothing, as
     * {@code F.cross_entropy(logits, targets, label_smoothing=eps)}: each row's loss is
     * {@code (1 - eps) * nll + eps * mean over classes of -log p} (the one-hot target mixed with
     * the uniform distribution), in the same fused kernel as the plain loss; eps = 0 is exactly
     * the plain loss.
     *
     * @param logits scores of shape [n, classes]
     * @param targets a 1-d tensor of n class indices
     * @param labelSmoothing eps in [0, 1]
     * @return the 0-d loss
     */
    public static Var crossEntropy(Var logits, Tensor targets, float labelSmoothing) {
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
            throw new IllegalArgumentException("crossEntropy: labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        checkLogits("crossEntropy", logits);
        Targets.toIndices("crossEntropy", targets, logits.size(0), logits.size(1));
        return fusedCrossEntropy(logits, targets, labelSmoothing);
    }

    private static Var fusedCrossEntropy(Var logits, Tensor targets) {
        return fusedCrossEntropy(logits, targets, 0f);
    }

    private static Var fusedCrossEntropy(Var logits, Tensor targets, float eps) {
        Tensor z = logits.value();
        Tensor out = Tensor.scalar((float) Fused.softmaxCrossEntropy(z, targets, eps, null, 1f, false));
        return Var.record("crossEntropy", out, new Var[] {logits}, new Tensor[] {z, targets}, (g, sink) -> {
            Tensor gz = Tensor.zeros(z.shape());
            Fused.softmaxCrossEntropy(z, targets, eps, gz, g.item(), false);
            sink.add(0, gz, true);
        }, () -> new Replays.CrossEntropy(z, targets, out, eps));
    }

    private static void checkLogits(String op, Var x) {
        if (x.dim() != 2) {
            throw new IllegalArgumentException(op + ": expected input of shape [n, classes], got "
                    + Shapes.str(x.shape()));
        }
        if (x.size(0) == 0 || x.size(1) == 0) {
            throw new IllegalArgumentException(op + ": input of shape " + Shapes.str(x.shape())
                    + " has no rows or no classes; the mean over nothing is undefined");
        }
    }
}
