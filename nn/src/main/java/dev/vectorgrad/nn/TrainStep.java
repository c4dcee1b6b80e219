package dev.vectorgrad.nn;

import java.util.ArrayList;
import java.util.List;

import dev.vectorgrad.autograd.CapturedGraph;
import dev.vectorgrad.autograd.NoGrad;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.nn.optim.GradClipping;
import dev.vectorgrad.nn.optim.Optimizer;

/**
 * A training step captured once and replayed: forward, loss, backward and the optimiser's update
 * for a model, a loss and an optimiser, as tinygrad's {@code TinyJit} does it. The first step for
 * a batch shape runs eagerly while {@link CapturedGraph} records its ops; every later step of that
 * shape copies the batch into the recorded input tensors and replays the graph into preallocated
 * activations and gradients, then calls {@link Optimizer#step()}. Once warm, a step allocates
 * nothing.
 *
 * <pre>{@code
 * Sequential model = new Sequential(new Linear(784, 50, rng), new ReLU(), new Linear(50, 10, rng));
 * TrainStep step = new TrainStep(model, new CrossEntropyLoss(), Sgd.builder(model.parameters(), 0.05f).momentum(0.9f).build());
 * for (Batch b : loader) {
 *     float loss = step.step(b.x(), b.y());
 * }
 * }</pre>
 *
 * <p>Each batch shape (the last, partial batch of an epoch, say) gets its own capture, up to
 * {@link #MAX_SHAPES}; beyond that, and for a model or loss with an op that cannot be replayed,
 * steps run eagerly (exactly as the eager code would) and the reason is logged once. A model's
 * {@code forward} must be built from {@code Var} ops alone and take the same path for every
 * batch; what it computes from tensor values outside Var ops is frozen at the first step (see
 * {@link CapturedGraph}). Changing {@link Layer#train()}/{@link Layer#eval()} gets other captures.
 *
 * <p>Between the backward pass and the update, {@link #withGradClipping} or
 * {@link #withGradValueClipping} clip the gradients on every path (allocation-free). The
 * optimiser reads its param groups at each update, so a schedule ({@code LRScheduler}) stepped
 * by the caller after each {@code step} takes effect on replayed steps too:
 *
 * <pre>{@code
 * TrainStep step = new TrainStep(model, new CrossEntropyLoss(), adam).withGradClipping(1f);
 * OneCycleLR schedule = new OneCycleLR(adam, 3e-3f, epochs * batches);
 * for (...) { step.step(x, y); schedule.step(); }
 * }</pre>
 *
 * <p>The same machinery evaluates under {@link NoGrad}: {@link #evaluate} and {@link #predict}
 * replay a captured forward pass per batch shape.
 *
 * <p>Gradients are those of eager autograd, bit for bit (see {@link CapturedGraph}), written into
 * the parameters' {@link Tensor#grad()} before each update, so a step needs no
 * {@code zeroGrad()}. Not thread-safe.
 */
public final class TrainStep {

    /** Batch shapes captured for training, and again for evaluation, before steps run eagerly. */
    public static final int MAX_SHAPES = 4;

    private static final System.Logger LOG = System.getLogger("dev.vectorgrad.nn");

    private final Layer model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final List<Plan> trainPlans = new ArrayList<>();
    private final List<Plan> evalPlans = new ArrayList<>();
    private boolean warnedTooManyShapes;
    private Plan last;
    private boolean replayed;
    private GradClipping clipper;
    private float clipMaxNorm;
    private double clipNormType;
    private float clipValue = -1f;
    private double lastGradNorm = Double.NaN;

    /**
     * @param model the model; its {@code forward} is what gets captured
     * @param loss the loss of the model's output against the targets
     * @param optimizer updates the model's parameters after each backward pass
     */
    public TrainStep(Layer model, Loss loss, Optimizer optimizer) {
        if (model == null || loss == null || optimizer == null) {
            throw new IllegalArgumentException("TrainStep: model, loss and optimizer must not be null");
        }
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
    }

    /** A captured (or refused) computation for one batch shape. */
    private static final class Plan {
        final int[] xShape;
        final int[] yShape;
        final boolean training;
        final Tensor x;
        final Tensor y;
        final CapturedGraph graph;
        final Var output;
        final Var loss;

        Plan(Tensor x, Tensor y, boolean training, CapturedGraph graph, Var output, Var loss) {
            this.xShape = x.shape();
            this.yShape = y == null ? null : y.shape();
            this.training = training;
            this.x = x;
            this.y = y;
            this.graph = graph;
            this.output = output;
            this.loss = loss;
        }

        /** Compares shapes without asking for copies of them, so a lookup allocates nothing. */
        boolean matches(Tensor bx, Tensor by, boolean isTraining) {
            return training == isTraining && sameShape(xShape, bx) && (by == null ? yShape == null : sameShape(yShape, by));
        }

        private static boolean sameShape(int[] shape, Tensor t) {
            if (shape == null || t.dim() != shape.length) {
                return false;
            }
            for (int d = 0; d < shape.length; d++) {
                if (t.size(d) != shape[d]) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * One training step on a batch: the model's output for {@code x}, the loss against {@code y},
     * the gradients of every parameter the loss depends on, then the optimiser's update.
     *
     * @param x the inputs, e.g. [batch, 784]; read, never kept
     * @param y the targets, e.g. [batch] class indices; read, never kept
     * @return the batch's loss before the update
     */
    public float step(Tensor x, Tensor y) {
        checkBatch("step", x, y);
        boolean training = model.isTraining();
        Plan p = find(trainPlans, x, y, training);
        if (p == null) {
            if (trainPlans.size() < MAX_SHAPES) {
                return captureStep(x, y, training);
            }
            tooManyShapes(x);
            replayed = false;
            return eagerStep(x, y);
        }
        last = p;
        replayed = p.graph != null;
        if (p.graph == null) {
            return eagerStep(x, y);
        }
        p.x.copyFrom(x);
        p.y.copyFrom(y);
        p.graph.forward();
        p.graph.backward();
        update();
        return p.loss.value().item();
    }

    private float captureStep(Tensor x, Tensor y, boolean training) {
        Tensor bx = x.copy();
        Tensor by = y.copy();
        model.zeroGrad();
        Var[] output = new Var[1];
        CapturedGraph.Capture c = CapturedGraph.capture(() -> {
            output[0] = model.call(Var.constant(bx));
            return loss.call(output[0], by);
        });
        Var l = checkLoss(c.result());
        if (!c.replayable()) {
            LOG.log(System.Logger.Level.INFO, "TrainStep: batch shape {0} steps eagerly: {1} cannot be replayed",
                    java.util.Arrays.toString(bx.shape()), c.refusal());
        }
        Plan p = new Plan(bx, by, training, c.graph(), output[0], l);
        trainPlans.add(p);
        last = p;
        replayed = false;
        l.backward();
        update();
        return l.value().item();
    }

    private float eagerStep(Tensor x, Tensor y) {
        model.zeroGrad();
        Var l = checkLoss(loss.call(model.call(Var.constant(x)), y));
        l.backward();
        update();
        return l.value().item();
    }

    /** The optimiser's update, after the gradients are clipped if so configured; the same on every path. */
    private void update() {
        if (clipper != null) {
            if (clipValue >= 0f) {
                clipper.clipValue(clipValue);
            } else {
                lastGradNorm = clipper.clipNorm(clipMaxNorm, clipNormType, false);
            }
        }
        optimizer.step();
    }

    /**
     * Clips the gradients to a total 2-norm of {@code maxNorm} before every update from now on,
     * eager, capturing and replayed steps alike, as
     * {@code torch.nn.utils.clip_grad_norm_(model.parameters(), maxNorm)} between
     * {@code backward()} and {@code optimizer.step()} (see {@link GradClipping}). Only the
     * optimiser's parameters are clipped. Replaces any clipping set before.
     *
     * @param maxNorm the largest total norm let through, finite and {@code >= 0}
     * @return this step
     */
    public TrainStep withGradClipping(float maxNorm) {
        return withGradClipping(maxNorm, 2);
    }

    /**
     * {@link #withGradClipping(float)} with another norm.
     *
     * @param maxNorm the largest total norm let through, finite and {@code >= 0}
     * @param normType p of the p-norm, {@code >= 1}, or {@link Double#POSITIVE_INFINITY}
     * @return this step
     */
    public TrainStep withGradClipping(float maxNorm, double normType) {
        if (!(maxNorm >= 0f) || !Float.isFinite(maxNorm)) {
            throw new IllegalArgumentException("TrainStep.withGradClipping: max_norm must be finite and >= 0, got "
                    + maxNorm);
        }
        if (!(normType >= 1)) {
            throw new IllegalArgumentException("TrainStep.withGradClipping: norm_type must be >= 1 or infinity, got "
                    + normType);
        }
        clipper = clipper == null ? GradClipping.of(optimizer.parameters()) : clipper;
        clipMaxNorm = maxNorm;
        clipNormType = normType;
        clipValue = -1f;
        return this;
    }

    /**
     * Clamps every gradient element to {@code [-clipValue, clipValue]} before every update from
     * now on, as {@code torch.nn.utils.clip_grad_value_}. Replaces any clipping set before.
     *
     * @param clipValue finite and {@code >= 0}
     * @return this step
     */
    public TrainStep withGradValueClipping(float clipValue) {
        if (!(clipValue >= 0f) || !Float.isFinite(clipValue)) {
            throw new IllegalArgumentException("TrainStep.withGradValueClipping: clip_value must be finite and >= 0, got "
                    + clipValue);
        }
        clipper = clipper == null ? GradClipping.of(optimizer.parameters()) : clipper;
        this.clipValue = clipValue;
        lastGradNorm = Double.NaN;
        return this;
    }

    /**
     * @return the total gradient norm of the last step before clipping, with
     *     {@link #withGradClipping}; NaN before it or with value clipping
     */
    public double lastGradNorm() {
        return lastGradNorm;
    }

    /**
     * The loss of the model on a batch under {@link NoGrad}, with no update; the model's output
     * is then {@link #lastOutput()}.
     *
     * @param x the inputs
     * @param y the targets
     * @return the loss
     */
    public float evaluate(Tensor x, Tensor y) {
        checkBatch("evaluate", x, y);
        return run(x, y).loss.value().item();
    }

    /**
     * The model's output for a batch under {@link NoGrad}.
     *
     * @param x the inputs
     * @return the output: a tensor this step reuses, valid until its next call (copy it to keep it)
     */
    public Tensor predict(Tensor x) {
        if (x == null) {
            throw new IllegalArgumentException("TrainStep.predict: the input must not be null");
        }
        return run(x, null).output.value();
    }

    /**
     * @return the model's output from the last {@link #evaluate} or {@link #predict} (or step),
     *         valid until the next call; null before any
     */
    public Tensor lastOutput() {
        return last == null ? null : last.output.value();
    }

    private Plan run(Tensor x, Tensor y) {
        boolean training = model.isTraining();
        Plan p = find(evalPlans, x, y, training);
        if (p != null && p.graph != null) {
            p.x.copyFrom(x);
            if (y != null) {
                p.y.copyFrom(y);
            }
            p.graph.forward();
            last = p;
            replayed = true;
            return p;
        }
        replayed = false;
        try (NoGrad ignored = NoGrad.enter()) {
            if (p == null && evalPlans.size() < MAX_SHAPES) {
                Tensor bx = x.copy();
                Tensor by = y == null ? null : y.copy();
                Var[] output = new Var[1];
                CapturedGraph.Capture c = CapturedGraph.capture(() -> {
                    output[0] = model.call(Var.constant(bx));
                    return by == null ? output[0] : loss.call(output[0], by);
                });
                Var l = by == null ? null : checkLoss(c.result());
                if (!c.replayable()) {
                    LOG.log(System.Logger.Level.INFO, "TrainStep: batch shape {0} evaluates eagerly: {1} cannot be replayed",
                            java.util.Arrays.toString(bx.shape()), c.refusal());
                }
                p = new Plan(bx, by, training, c.graph(), output[0], l);
                evalPlans.add(p);
                last = p;
                return p;
            }
            if (p == null) {
                tooManyShapes(x);
            }
            Var out = model.call(Var.constant(x));
            Var l = y == null ? null : checkLoss(loss.call(out, y));
            Plan eager = new Plan(x, y, training, null, out, l);
            last = eager;
            return eager;
        }
    }

    private static Plan find(List<Plan> plans, Tensor x, Tensor y, boolean training) {
        for (int i = 0, n = plans.size(); i < n; i++) {
            Plan p = plans.get(i);
            if (p.matches(x, y, training)) {
                return p;
            }
        }
        return null;
    }

    private void tooManyShapes(Tensor x) {
        if (!warnedTooManyShapes) {
            warnedTooManyShapes = true;
            LOG.log(System.Logger.Level.INFO, "TrainStep: {0} batch shapes captured already; shape {1} and any"
                    + " further ones run eagerly", MAX_SHAPES, java.util.Arrays.toString(x.shape()));
        }
    }

    private static void checkBatch(String op, Tensor x, Tensor y) {
        if (x == null || y == null) {
            throw new IllegalArgumentException("TrainStep." + op + ": inputs and targets must not be null");
        }
        if (x.dim() == 0 || y.dim() == 0 || x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("TrainStep." + op + ": inputs of shape " + java.util.Arrays.toString(x.shape())
                    + " and targets of shape " + java.util.Arrays.toString(y.shape())
                    + " must both have the batch size as their first dim");
        }
    }

    private static Var checkLoss(Var l) {
        if (l == null || l.numel() != 1) {
            throw new IllegalArgumentException("TrainStep: the loss must be one element, got "
                    + (l == null ? "null" : "shape " + java.util.Arrays.toString(l.shape())));
        }
        return l;
    }

    /** @return how many batch shapes have a captured training step (replayable or refused) */
    public int capturedShapes() {
        return trainPlans.size();
    }

    /**
     * @return whether the last {@link #step}, {@link #evaluate} or {@link #predict} replayed a
     *         captured graph; false when it ran eagerly (a capturing call runs eagerly too)
     */
    public boolean lastReplayed() {
        return replayed;
    }

    /**
     * @return the ops a replay of the last call's batch shape runs, after fusion, or an empty list
     *         when that shape runs eagerly
     */
    public List<String> lastOps() {
        return last == null || last.graph == null ? List.of() : last.graph.ops();
    }

    /** @return the model */
    public Layer model() {
        return model;
    }

    /** @return the optimiser */
    public Optimizer optimizer() {
        return optimizer;
    }
}
