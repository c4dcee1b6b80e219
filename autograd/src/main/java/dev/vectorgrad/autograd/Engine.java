package dev.vectorgrad.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.vectorgrad.core.Tensor;

/**
 * Runs a backward pass: sorts the graph topologically (iteratively: a chain of 100,000 ops would
 * overflow the JVM stack with recursion), checks every node can run before touching any
 * gradient, then calls each node's rule in reverse order. Gradients of inner nodes live in a
 * map for the duration of the pass only; gradients of leaves are accumulated into their
 * tensor's {@link Tensor#grad()}.
 */
final class Engine {

    /** A pending gradient and whether the engine may modify it in place. */
    private static final class Acc {
        Tensor t;
        boolean owned;

        Acc(Tensor t, boolean owned) {
            this.t = t;
            this.owned = owned;
        }
    }

    private final Map<Var, Acc> pending = new IdentityHashMap<>();

    private Engine() {}

    static void run(Var root, Tensor seed, boolean retainGraph) {
        List<Var> order = topologicalOrder(root);
        for (Var v : order) {
            Node n = v.node();
            if (n != null) {
                n.checkRunnable();
            }
        }
        Engine e = new Engine();
        e.accumulate(root, seed, false);
        for (int i = order.size() - 1; i >= 0; i--) {
            Var v = order.get(i);
            Node n = v.node();
            if (n == null) {
                continue; // a leaf: its gradient went straight to its tensor
            }
            Acc acc = e.pending.remove(v);
            if (acc != null) {
                n.fn().apply(acc.t, e.sinkFor(n));
            }
            if (!retainGraph) {
                n.release();
            }
        }
    }

    /** Post-order (inputs before the ops that use them) over the Vars that require grad. */
    static List<Var> topologicalOrder(Var root) {
        List<Var> order = new ArrayList<>();
        Set<Var> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Var> stack = new ArrayDeque<>();
        ArrayDeque<Integer> nextInput = new ArrayDeque<>();
        seen.add(root);
        stack.push(root);
        nextInput.push(0);
        while (!stack.isEmpty()) {
            Var v = stack.peek();
            int i = nextInput.pop();
            Node n = v.node();
            Var[] inputs = n == null ? new Var[0] : n.inputs;
            while (i < inputs.length && (!inputs[i].requiresGrad() || seen.contains(inputs[i]))) {
                i++;
            }
            if (i < inputs.length) {
                Var child = inputs[i];
                nextInput.push(i + 1);
                seen.add(child);
                stack.push(child);
                nextInput.push(0);
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }

    private GradSink sinkFor(Node n) {
        return new GradSink() {
            @Override
            public boolean needs(int i) {
                return n.inputs[i].requiresGrad();
            }

            @Override
            public void add(int i, Tensor g, boolean owned) {
                Var in = n.inputs[i];
                if (!in.requiresGrad()) {
                    return;
                }
                Tensor r = Shapes.sumToShape(g, in.value().shape());
                accumulate(in, r, owned || r != g);
            }

            @Override
            public void addMatmul(int i, Tensor a, Tensor b) {
                Var in = n.inputs[i];
                if (!in.requiresGrad()) {
                    return;
                }
                Tensor target = inPlaceTarget(in);
                if (target != null && target.dim() == 2 && !target.sharesStorageWith(a) && !target.sharesStorageWith(b)) {
                    target.matmulInPlace(a, b, true);
                } else {
                    accumulate(in, a.matmul(b), true);
                }
            }
        };
    }

    /**
     * The tensor a product for {@code v} may be accumulated into in place (inside the matmul
     * kernel), or null: a leaf's gradient only. An inner value's pending gradient gets the
     * finished product added, the rounding a captured graph's replay reproduces.
     */
    private Tensor inPlaceTarget(Var v) {
        if (v.node() == null) {
            Tensor g = v.value().grad();
            return g != null && g.isContiguous() ? g : null;
        }
        return null;
    }

    private void accumulate(Var v, Tensor g, boolean owned) {
        int[] want = v.value().shape();
        if (!Arrays.equals(g.shape(), want)) {
            throw new IllegalStateException("backward: a gradient of shape " + Shapes.str(g.shape())
                    + " arrived for a value of shape " + Shapes.str(want)
                    + (v.node() == null ? "" : " computed by " + v.node().op));
        }
        if (v.node() == null) {
            Tensor existing = v.value().grad();
            if (existing == null) {
                v.value().setGrad(owned && g.isContiguous() ? g : g.copy());
            } else if (existing.isContiguous()) {
                existing.addInPlace(g);
            } else {
                v.value().setGrad(existing.add(g));
            }
            return;
        }
        Acc acc = pending.get(v);
        if (acc == null) {
            pending.put(v, new Acc(g, owned));
        } else if (acc.owned && acc.t.isContiguous()) {
            acc.t.addInPlace(g);
        } else {
            acc.t = acc.t.add(g);
            acc.owned = true;
        }
    }
}
