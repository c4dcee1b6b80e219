package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Printing, checked against PyTorch's {@code _tensor_str} rules worked out by hand: one width
 * for all elements from the (summarised) values, integer mode, scientific mode past a 1000x
 * spread, Python's half-to-even rounding of the exact binary value, wrapping at
 * {@code (linewidth - indent) / (width + 2)} elements per line, and {@code ...} summaries.
 */
class TensorFormatterTest {

    private static final PrintOptions DEFAULTS = PrintOptions.defaults();
    private static final PrintOptions LESSON = DEFAULTS.withPrecision(2).withLinewidth(125);

    private static Tensor vec(float... v) {
        return Tensor.of(v);
    }

    @Test
    void scalarsAndIntegerMode() {
        assertEquals("tensor(4154.01)", Tensor.scalar(4154.01f).toString(LESSON));
        assertEquals("tensor(3.)", Tensor.scalar(3f).toString(DEFAULTS));
        assertEquals("tensor([1., 2., 3.])", vec(1, 2, 3).toString(DEFAULTS));
        // Width of "-1" and "10" plus the decimal point: 3.
        assertEquals("tensor([-1., 10.,  2.])", vec(-1, 10, 2).toString(DEFAULTS));
        assertEquals("tensor([0., 0.])", vec(0, 0).toString(DEFAULTS.withSciMode(true)),
                "no non-zero finite value: the forced sci mode is ignored, as in PyTorch");
    }

    @Test
    void scientificModeWhenValuesSpanMoreThanAThousandfold() {
        assertEquals("tensor([5.0000e-01, 1.0000e+03])", vec(0.5f, 1000f).toString(DEFAULTS));
        assertEquals("tensor([1.0000e+00, 2.0000e+03])", vec(1f, 2000f).toString(DEFAULTS), "integers too");
        assertEquals("tensor([1.0000e-05, 2.0000e-05])", vec(1e-5f, 2e-5f).toString(DEFAULTS), "below 1e-4");
        assertEquals("tensor([ 1.50e+00, -2.50e+09])", vec(1.5f, -2.5e9f).toString(LESSON));
        assertEquals("tensor([0.5000, 1.0000])", vec(0.5f, 1f).toString(DEFAULTS.withSciMode(false)));
        assertEquals("tensor([5.0000e-01, 1.0000e+00])", vec(0.5f, 1f).toString(DEFAULTS.withSciMode(true)));
    }

    @Test
    void forcedFixedModeKeepsTheWidthComputedInSciMode() {
        // x_train.g in the lesson: tiny gradients, sci_mode=False. PyTorch measures the width in
        // sci mode ("-1.23e-05" is 9 characters), then prints fixed: "-0.00" padded to 9.
        PrintOptions noSci = LESSON.withSciMode(false);
        assertEquals("tensor([    -0.00,      0.00])", vec(-1.2345e-5f, 2.5e-6f).toString(noSci));
    }

    @Test
    void negativeZeroAndPythonRounding() {
        assertEquals("tensor([-0.00,  1.50, -2.25])", vec(-0f, 1.5f, -2.25f).toString(LESSON));
        assertEquals("tensor([-0.00,  1.00])", vec(-0.004f, 1f).toString(LESSON), "rounds to -0.00, sign kept");
        // 0.125 and 0.375 are exact binary ties: half to even. 2.675f is 2.67499995..., below the tie.
        assertEquals("tensor([0.12, 0.38, 2.67])", vec(0.125f, 0.375f, 2.675f).toString(LESSON));
        assertEquals("tensor(-0.)", Tensor.scalar(-0f).toString(DEFAULTS));
    }

    @Test
    void nanAndInfinity() {
        assertEquals("tensor([   nan,    inf,   -inf, 1.5000])",
                vec(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1.5f).toString(DEFAULTS));
        assertEquals("tensor([nan, 2.])", vec(Float.NaN, 2f).toString(DEFAULTS), "no point after a non-finite");
        assertEquals("tensor([nan, inf])", vec(Float.NaN, Float.POSITIVE_INFINITY).toString(DEFAULTS));
    }

    @Test
    void wrapsAtTheLineWidth() {
        // The lesson's b.grad: 50 values of width 6 with precision 2 and linewidth 125:
        // (125 - 7) / (6 + 2) = 14 per line, continuation lines indented by 8.
        float[] v = new float[50];
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            v[i] = (i - 25) * 0.5f; // exact in binary, two decimals at most: no rounding question
            cells.add(String.format("%6.2f", v[i]));
        }
        StringBuilder expected = new StringBuilder("tensor([");
        for (int i = 0; i < 50; i++) {
            if (i > 0) {
                expected.append(i % 14 == 0 ? ",\n        " : ", ");
            }
            expected.append(cells.get(i));
        }
        expected.append("])");
        assertEquals(expected.toString(), Tensor.of(v).toString(LESSON));
        // A row of a 2-d tensor is indented one more: (125 - 8) / 8 = 14 still, continuation by 9.
        String two = Tensor.of(v).reshape(1, 50).toString(LESSON);
        assertEquals(expected.toString().replace("\n        ", "\n         ").replace("tensor([", "tensor([[")
                .replace("])", "]])"), two);
    }

    @Test
    void summarisesALargeMatrixLikeTheLesson() {
        // 10000 x 50 with v[i][j] = i % 10 + j / 100; only the edges (rows 0-2 and 9997-9999,
        // columns 0-2 and 47-49) decide the width, so a huge value in the middle changes nothing.
        int rows = 10000;
        int cols = 50;
        float[] v = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                v[i * cols + j] = (i % 10) + j / 100f;
            }
        }
        v[5000 * cols + 25] = 1e9f;
        String text = Tensor.wrap(v, rows, cols).toString(LESSON);
        List<String> lines = new ArrayList<>();
        int[] shown = {0, 1, 2, -1, 9997, 9998, 9999};
        for (int i : shown) {
            if (i < 0) {
                lines.add("...");
                continue;
            }
            StringBuilder row = new StringBuilder("[");
            int[] cs = {0, 1, 2, -1, 47, 48, 49};
            for (int k = 0; k < cs.length; k++) {
                row.append(k == 0 ? "" : ", ");
                row.append(cs[k] < 0 ? " ..." : String.format("%.2f", (double) v[i * cols + cs[k]]));
            }
            lines.add(row.append("]").toString());
        }
        String expected = "tensor([" + String.join(",\n        ", lines) + "])";
        assertEquals(expected, text);
        assertEquals("        [1.00, 1.01, 1.02,  ..., 1.47, 1.48, 1.49],", text.split("\n")[1]);
        assertEquals("        ...,", text.split("\n")[3]);
    }

    @Test
    void summarisedVectorCountsTheEllipsisWhenWrapping() {
        // arange(2000): integers from 1 to 1999 span > 1000x, so sci mode, width 10;
        // (80 - 7) / 12 = 6 per line, and " ..." is one of the seven entries.
        assertEquals("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
                + "        1.9990e+03])", Tensor.arange(2000).toString(DEFAULTS));
        assertEquals("tensor([0., 1., 2.,  ..., 7., 8., 9.])",
                Tensor.arange(10).toString(DEFAULTS.withThreshold(5)));
    }

    @Test
    void threeDimsAndEmptyTensors() {
        assertEquals("tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]])",
                Tensor.arange(8).reshape(2, 2, 2).toString(DEFAULTS));
        assertEquals("tensor([[0., 2.],\n        [1., 3.]])", Tensor.arange(4).reshape(2, 2).t().toString(DEFAULTS),
                "a transposed view prints its logical layout");
        assertEquals("tensor([], size=(0, 3))", Tensor.zeros(0, 3).toString(DEFAULTS));
        assertEquals("tensor([])", Tensor.zeros(0).toString(DEFAULTS));
        assertEquals("tensor([], size=(2, 0, 1))", Tensor.zeros(2, 0, 1).toString(DEFAULTS));
    }

    @Test
    void anEmptyTensorsSizeWrapsOntoItsOwnLineAsInPyTorch() {
        // PyTorch's _add_suffixes (torch/_tensor_str.py) starts from
        //   last_line_len = len(tensor_str) - tensor_str.rfind("\n") + 1
        // which for "tensor([]" (9 characters, no newline: rfind gives -1) is 11, and puts a suffix
        // on a new line, indented by len("tensor("), when last_line_len + len(suffix) + 2 > linewidth;
        // otherwise it joins it with ", ". So "size=(0, 3)" (11 characters) wraps when 24 > linewidth:
        // at 23, although "tensor([], size=(0, 3))" is 23 characters long, and not at 24.
        assertEquals("tensor([],\n       size=(0, 3))", Tensor.zeros(0, 3).toString(DEFAULTS.withLinewidth(23)));
        assertEquals("tensor([], size=(0, 3))", Tensor.zeros(0, 3).toString(DEFAULTS.withLinewidth(24)));
        assertEquals("tensor([],\n       size=(0, 3))", Tensor.zeros(0, 3).toString(DEFAULTS.withLinewidth(1)));
        // "size=(2, 0, 1)" is 14 characters: wraps when 27 > linewidth.
        assertEquals("tensor([],\n       size=(2, 0, 1))", Tensor.zeros(2, 0, 1).toString(DEFAULTS.withLinewidth(26)));
        assertEquals("tensor([], size=(2, 0, 1))", Tensor.zeros(2, 0, 1).toString(DEFAULTS.withLinewidth(27)));
        // A 1-d empty tensor has no suffix, so nothing wraps however narrow the line.
        assertEquals("tensor([])", Tensor.zeros(0).toString(DEFAULTS.withLinewidth(1)));
    }

    @Test
    void toStringUsesTheGlobalOptions() {
        PrintOptions saved = PrintOptions.get();
        try {
            PrintOptions.set(LESSON);
            assertEquals("tensor([0.12, 1.00])", vec(0.125f, 1f).toString());
            PrintOptions.set(DEFAULTS);
            assertEquals("tensor([0.1250, 1.0000])", vec(0.125f, 1f).toString());
        } finally {
            PrintOptions.set(saved);
        }
    }
}
