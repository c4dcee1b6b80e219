package dev.vectorgrad.autograd;

/** erf in double by its Taylor series and continued fraction, for references in tests. */
final class ActivationTestMath {

    private ActivationTestMath() {}

    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax >= 3) {
            double f = ax;
            for (int k = 120; k >= 1; k--) {
                f = ax + (k / 2.0) / f;
            }
            return Math.copySign(1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f, x);
        }
        double sum = 0;
        double term = ax;
        for (int k = 0; k < 200; k++) {
            double t = term / (2 * k + 1);
            sum += t;
            term *= -ax * ax / (k + 1);
            if (Math.abs(t) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return Math.copySign(sum * 2 / Math.sqrt(Math.PI), x);
    }
}
