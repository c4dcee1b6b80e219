package dev.vectorgrad.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.vectorgrad.core.Tensor;

/**
 * A computation on {@link Var}s recorded once and replayed into the same tensors, as tinygrad's
 * {@code TinyJit}: {@link #capture} runs a function eagerly while recording every op, keeps the
 * tensors of that run as the graph's buffers and plans a gradient buffer for every value that
 * needs one. {@link #forward()} then recomputes every value in place, and {@link #backward()}
 * writes the gradients of the output with respect to the parameters into their
 * {@link Tensor#grad()} tensors, with no allocation and no graph building.
 *
 * <p>New inputs reach a replay through the tensors the function read: a caller writes the next
 * batch into the input tensor it passed to the recorded function (with {@link Tensor#copyFrom}),
 * then calls {@code forward()}. Parameters are read in place, so an optimiser's in-place updates
 * are seen by the next replay. What the function computed outside {@code Var} ops (a number read
 * from a tensor with {@code item()}, an {@code int[]} of labels, a branch on a value) is frozen
 * at its recorded value; ops whose inputs are read that way refuse to be captured.
 *
 * <p>Two fusions are made while planning: a {@link Var#linear} whose output only a
 * {@link Var#relu} reads becomes one kernel with a relu epilogue, and a loss at the output
 * ({@link Losses#crossEntropy(Var, Tensor)}, {@link Losses#mse}) computes its input's gradient in
 * the same pass as its value. Replayed values and gradients are computed with the same kernels as
 * the eager ops, and a second contribution to a gradient is added as the eager engine adds it, so
 * they equal eager autograd's bit for bit; only a value whose gradient gathers three or more
 * contributions may have them summed in another order than the engine's.
 *
 * <p>Not thread-safe; replay on one thread at a time.
 */
public final class CapturedGraph {

    /**
     * What {@link #capture} gives back.
     *
     * @param result the function's result, computed eagerly (with its eager graph, so
     *               {@code result.backward()} works as usual)
     * @param graph the replayable graph, or null when an op refused
     * @param refusal the op that cannot be replayed and why, or null
     */
    public record Capture(Var result, CapturedGraph graph, String refusal) {
        /** @return whether the function can be replayed */
        public boolean replayable() {
            return graph != null;
        }
    }

    private final Var output;
    private final List<String> ops;
    private final Replay[] forward;
    private final Replay[] backward;
    private final Tensor[] backwardGradOut;
    private final Tensor[][] backwardGradIn;
    private final boolean[][] accumulate;
    private final boolean[][] accumulateOntoLeaves;
    private final Var[] leaves;
    private final Tensor[] leafGrads;

    /**
     * Runs {@code fn} once, eagerly, recording its ops, and plans a replay of it.
     *
     * @param fn the computation; it must build its result from Var ops alone
     * @return the eager result and the graph, or the reason it cannot be replayed
     */
    public static Capture capture(Supplier<Var> fn) {
        Tracer t = Tracer.start();
        Var result;
        try {
            result = fn.get();
        } finally {
            t.stop();
        }
        if (result == null) {
            throw new IllegalArgumentException("capture: the function returned null instead of a Var");
        }
        if (t.unsupported != null) {
            return new Capture(result, null, t.unsupported);
        }
        return new Capture(result, new CapturedGraph(t, result), null);
    }

    /** One op of the plan, after fusion. */
    private static final class Step {
        Replay replay;
        Var out;
        Var[] inputs;
        String op;

        Step(Tracer.Entry e) {
            replay = e.replay();
            out = e.out();
            inputs = e.inputs();
            op = e.op();
        }
    }

    private CapturedGraph(Tracer t, Var output) {
        this.output = output;
        List<Step> steps = liveSteps(t.entries(), output);
        fuseLinearRelu(steps, output);
        List<String> names = new ArrayList<>();
        Replay[] fwd = new Replay[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            fwd[i] = steps.get(i).replay;
            names.add(steps.get(i).op);
        }
        this.ops = List.copyOf(names);
        this.forward = fwd;

        // Gradient buffers, planned in the order the backward runs them: the first write into a
        // buffer overwrites it, later ones add, so no buffer needs zeroing before a pass.
        Map<Var, Tensor> grads = new IdentityHashMap<>();
        Set<Var> written = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Var> leafList = new ArrayList<>();
        List<Replay> bwd = new ArrayList<>();
        List<Tensor> gOuts = new ArrayList<>();
        List<Tensor[]> gIns = new ArrayList<>();
        List<boolean[]> accs = new ArrayList<>();
        List<boolean[]> accsLeaves = new ArrayList<>();
        if (output.requiresGrad()) {
            grads.put(output, Tensor.onesLike(output.value()));
        }
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step s = steps.get(i);
            if (!s.out.requiresGrad()) {
                continue;
            }
            Tensor[] gIn = new Tensor[s.inputs.length];
            boolean[] acc = new boolean[s.inputs.length];
            boolean[] accLeaf = new boolean[s.inputs.length];
            for (int k = 0; k < s.inputs.length; k++) {
                Var in = s.inputs[k];
                if (!in.requiresGrad()) {
                    continue;
                }
                Tensor g = grads.get(in);
                if (g == null) {
                    g = in.isLeaf() ? leafGradient(in) : Tensor.zeros(in.shape());
                    grads.put(in, g);
                    if (in.isLeaf()) {
                        leafList.add(in);
                    }
                }
                gIn[k] = g;
                boolean first = written.add(in);
                acc[k] = !first;
                accLeaf[k] = !first || in.isLeaf();
            }
            if (s.out == output && s.replay instanceof Replays.FusedLoss loss && output.numel() == 1
                    && !anyLeafWithGrad(s.inputs)) {
                // The loss is the output: its upstream gradient is 1, known before the forward runs.
                loss.fuseGradient(gIn, acc);
                continue;
            }
            bwd.add(s.replay);
            gOuts.add(grads.get(s.out));
            gIns.add(gIn);
            accs.add(acc);
            accsLeaves.add(accLeaf);
        }
        this.backward = bwd.toArray(new Replay[0]);
        this.backwardGradOut = gOuts.toArray(new Tensor[0]);
        this.backwardGradIn = gIns.toArray(new Tensor[0][]);
        this.accumulate = accs.toArray(new boolean[0][]);
        this.accumulateOntoLeaves = accsLeaves.toArray(new boolean[0][]);
        this.leaves = leafList.toArray(new Var[0]);
        this.leafGrads = new Tensor[leaves.length];
        for (int i = 0; i < leaves.length; i++) {
            leafGrads[i] = grads.get(leaves[i]);
        }
    }

    /** Whether a leaf that needs a gradient is among the inputs: a fused loss would overwrite its gradient. */
    private static boolean anyLeafWithGrad(Var[] inputs) {
        for (Var v : inputs) {
            if (v.isLeaf() && v.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /** The recorded ops the output depends on, in recording order. */
    private static List<Step> liveSteps(List<Tracer.Entry> entries, Var output) {
        Set<Var> live = Collections.newSetFromMap(new IdentityHashMap<>());
        live.add(output);
        boolean[] keep = new boolean[entries.size()];
        for (int i = entries.size() - 1; i >= 0; i--) {
            Tracer.Entry e = entries.get(i);
            if (live.contains(e.out())) {
                keep[i] = true;
                live.addAll(Arrays.asList(e.inputs()));
            }
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (keep[i]) {
                steps.add(new Step(entries.get(i)));
            }
        }
        return steps;
    }

    /** A linear whose output only one relu reads becomes a linear with a relu epilogue. */
    private static void fuseLinearRelu(List<Step> steps, Var output) {
        Map<Var, Integer> readers = new IdentityHashMap<>();
        for (Step s : steps) {
            for (Var in : s.inputs) {
                readers.merge(in, 1, Integer::sum);
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            Step lin = steps.get(i);
            if (!(lin.replay instanceof Replays.Linear l) || l.relu || lin.out == output
                    || readers.getOrDefault(lin.out, 0) != 1) {
                continue;
            }
            for (int j = i + 1; j < steps.size(); j++) {
                Step r = steps.get(j);
                if (r.inputs.length == 1 && r.inputs[0] == lin.out) {
                    if (r.replay instanceof Replays.Relu && r.out.requiresGrad() == lin.out.requiresGrad()) {
                        r.replay = l.withRelu(r.out.value());
                        r.inputs = lin.inputs;
                        r.op = "linear+relu";
                        steps.remove(i);
                        i--;
                    }
                    break;
                }
            }
        }
    }

    /** The leaf's gradient tensor, made contiguous and zero if it has none yet, so both passes write into it. */
    private static Tensor leafGradient(Var leaf) {
        Tensor v = leaf.value();
        Tensor g = v.grad();
        if (g == null || !g.isContiguous() || !Arrays.equals(g.shape(), v.shape())) {
            Tensor fresh = Tensor.zeros(v.shape());
            if (g != null) {
                fresh.copyFrom(g);
            }
            v.setGrad(fresh);
            g = fresh;
        }
        return g;
    }

    /** Recomputes every recorded value in place, from the inputs' and parameters' current values. */
    public void forward() {
        for (Replay r : forward) {
            r.forward();
        }
    }

    /**
     * Writes d(output)/d(leaf) into each leaf's gradient, replacing what it held (what
     * {@code zeroGrad()} then eager {@code backward()} would leave). Call after {@link #forward()}.
     */
    public void backward() {
        backward(false);
    }

    /**
     * Backpropagates a gradient of 1 from the output (one element) to the leaves.
     *
     * @param accumulateIntoLeaves add into the leaves' gradients as eager {@code backward()}
     *                             does (true), or overwrite them (false, no zeroing needed)
     */
    public void backward(boolean accumulateIntoLeaves) {
        if (!output.requiresGrad()) {
            throw new IllegalStateException("backward: the captured output of shape " + Shapes.str(output.shape())
                    + " does not require grad (no parameter reached it, or it was captured inside NoGrad)");
        }
        for (int i = 0; i < leaves.length; i++) {
            Tensor v = leaves[i].value();
            if (v.grad() != leafGrads[i]) {
                v.setGrad(leafGrads[i]); // someone replaced it; the plan writes into its own
            }
        }
        boolean[][] flags = accumulateIntoLeaves ? accumulateOntoLeaves : accumulate;
        for (int i = 0; i < backward.length; i++) {
            backward[i].backward(backwardGradOut[i], backwardGradIn[i], flags[i]);
        }
    }

    /** @return the recorded result; its value is what the last {@link #forward()} computed */
    public Var output() {
        return output;
    }

    /** @return the ops replayed, in order, after fusion (e.g. {@code [linear+relu, linear, crossEntropy]}) */
    public List<String> ops() {
        return ops;
    }

    /** @return the leaves (parameters) whose gradients {@link #backward()} writes, in the order first reached */
    public List<Var> parameters() {
        return List.of(leaves);
    }
}
