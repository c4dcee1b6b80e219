package dev.vectorgrad.bench;

import java.util.Locale;

/**
 * The network {@link TrainEpochs} trains: an MLP {@code 784-hidden-10} or the library's
 * {@code SmallCnn} of channels {@code c1, c2}.
 *
 * @param cnn whether it is the CNN
 * @param hidden the MLP's hidden units (0 for the CNN)
 * @param c1 the CNN's first block's channels (0 for the MLP)
 * @param c2 the CNN's second block's channels (0 for the MLP)
 */
record TrainedModel(boolean cnn, int hidden, int c1, int c2) {

    static TrainedModel mlp(int hidden) {
        return new TrainedModel(false, hidden, 0, 0);
    }

    static TrainedModel cnn(int c1, int c2) {
        return new TrainedModel(true, 0, c1, c2);
    }

    /**
     * @param text {@code 50} (an MLP's hidden units) or {@code cnn:16,32}
     * @return the model
     * @throws IllegalArgumentException for anything else
     */
    static TrainedModel parse(String text) {
        try {
            if (text.startsWith("cnn:")) {
                String[] c = text.substring(4).split(",", -1);
                if (c.length == 2) {
                    return cnn(Integer.parseInt(c[0]), Integer.parseInt(c[1]));
                }
            } else {
                return mlp(Integer.parseInt(text));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("TrainEpochs: model '" + text + "': expected hidden units (50) or cnn:C1,C2");
    }

    /** @return e.g. {@code 784-50-10} or {@code cnn 16,32} */
    String describe() {
        return cnn ? String.format(Locale.ROOT, "cnn %d,%d", c1, c2) : "784-" + hidden + "-10";
    }
}
