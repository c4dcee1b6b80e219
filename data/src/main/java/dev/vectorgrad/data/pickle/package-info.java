/**
 * A pickle reader that builds only plain data and NumPy arrays and refuses every other global
 * by name ({@link dev.vectorgrad.data.pickle.Pickle}), and the lesson's {@code mnist.pkl.gz} on
 * top of it ({@link dev.vectorgrad.data.pickle.MnistPickle}).
 */
package dev.vectorgrad.data.pickle;
