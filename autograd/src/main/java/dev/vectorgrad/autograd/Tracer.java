package dev.vectorgrad.autograd;

import java.util.ArrayList;
import java.util.List;

/**
 * Records every op that runs on the current thread while a {@link CapturedGraph#capture} is
 * under way, in execution order (which is a topological order: an op runs after its inputs
 * exist). An op that has no {@link Replay} marks the recording as not replayable, naming itself.
 */
final class Tracer {

    /** One recorded op. */
    record Entry(String op, Var out, Var[] inputs, Replay replay) {}

    private static final ThreadLocal<Tracer> CURRENT = new ThreadLocal<>();

    final List<Entry> entries = new ArrayList<>();
    /** The first op that cannot be replayed, with the reason; null while every op can. */
    String unsupported;

    private Tracer() {}

    /** @return whether ops on this thread are being recorded (so they should build their replay) */
    static boolean active() {
        return CURRENT.get() != null;
    }

    static void record(String op, Var out, Var[] inputs, Replay replay) {
        Tracer t = CURRENT.get();
        if (t == null) {
            return;
        }
        if (replay == null) {
            t.refuse(op, "it has no replay form");
            return;
        }
        t.entries.add(new Entry(op, out, inputs, replay));
    }

    /** Marks the recording as not replayable (the first reason wins). */
    static void refuse(String op, String why) {
        Tracer t = CURRENT.get();
        if (t != null && t.unsupported == null) {
            t.unsupported = op + " (" + why + ")";
        }
    }

    static Tracer start() {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("capture: a capture is already under way on this thread;"
                    + " captures do not nest");
        }
        Tracer t = new Tracer();
        CURRENT.set(t);
        return t;
    }

    void stop() {
        CURRENT.remove();
    }

    List<Entry> entries() {
        return entries;
    }

    /** @return a copy of the op names in recording order */
    List<String> opNames() {
        List<String> names = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            names.add(e.op());
        }
        return names;
    }
}
