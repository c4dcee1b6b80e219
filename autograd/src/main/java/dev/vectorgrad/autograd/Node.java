package dev.vectorgrad.autograd;

/**
 * The record of one op in the graph: its name, its inputs, its backward rule and what it saved.
 * After a backward pass that does not retain the graph, the rule and saved tensors are dropped
 * so their memory can go, and the node remembers that it was released.
 */
final class Node {
    final String op;
    final Var[] inputs;
    private BackwardFn fn;
    private SavedTensor[] saved;
    private final int[] outShape;

    Node(String op, Var[] inputs, BackwardFn fn, SavedTensor[] saved, int[] outShape) {
        this.op = op;
        this.inputs = inputs;
        this.fn = fn;
        this.saved = saved;
        this.outShape = outShape;
    }

    boolean released() {
        return fn == null;
    }

    /** Fails before any gradient is touched if this node cannot run its backward rule. */
    void checkRunnable() {
        if (fn == null) {
            throw new IllegalStateException("backward: the graph through " + op + " (output shape "
                    + Shapes.str(outShape) + ") was already released by an earlier backward();"
                    + " call backward(..., true) (retainGraph) the first time to backpropagate through it again");
        }
        for (SavedTensor s : saved) {
            s.check(op);
        }
    }

    BackwardFn fn() {
        return fn;
    }

    void release() {
        fn = null;
        saved = null;
    }
}
