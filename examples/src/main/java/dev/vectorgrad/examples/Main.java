package dev.vectorgrad.examples;

import dev.vectorgrad.examples.cli.HelpRequested;
import dev.vectorgrad.examples.cli.Messages;
import dev.vectorgrad.examples.cli.SystemProperties;
import dev.vectorgrad.examples.cli.UsageException;
import dev.vectorgrad.examples.lesson.LessonCommand;
import dev.vectorgrad.examples.train.EvaluateCommand;
import dev.vectorgrad.examples.train.TrainCommand;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code ./vectorgrad} command line: {@code demo}, {@code lesson}, {@code train}, {@code evaluate}.
 *
 * <p>Exit status: 0 on success, 1 when a check failed or an error occurred (one line on stderr,
 * the stack trace only with {@code --debug}), 2 for a mistake on the command line or in a
 * {@code -Dvectorgrad.*} system property. Text from files and arguments that an error line
 * repeats has its control characters escaped ({@link Messages#escape}).
 */
public final class Main {

    private static final String USAGE = """
            usage: ./vectorgrad <command> [options]

            commands:
              demo       the main job: the lesson, then training on MNIST (or the best dataset available)
              lesson     walk the backprop lesson: shapes, forward pass, MSE, hand-written gradients
                         checked against autograd, the layer and Module refactors, symbolic derivatives
              train      train an MLP classifier on MNIST, Fashion-MNIST or synthetic digits
              evaluate   reload a trained model and print its test accuracy and confusion matrix

            ./vectorgrad <command> --help shows each command's options.
            """;

    private Main() {}

    /**
     * Runs a sub-command and exits with its status.
     *
     * @param args the sub-command and its options
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs a sub-command without exiting (for tests).
     *
     * @param args the sub-command and its options
     * @param out standard output
     * @param err standard error
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            // Before any class of the core loads: its static initialisers read these.
            SystemProperties.check(System.getProperties());
            return switch (command) {
                case "lesson" -> LessonCommand.run(rest, out, err);
                case "demo" -> DemoCommand.run(rest, out, err);
                case "train" -> TrainCommand.run(rest, out, err);
                case "evaluate" -> EvaluateCommand.run(rest, out);
                default -> throw new UsageException("unknown command '" + command
                        + "' (expected demo, lesson, train or evaluate; see ./vectorgrad --help)");
            };
        } catch (HelpRequested h) {
            out.print(h.getMessage());
            return 0;
        } catch (UsageException e) {
            err.println("vectorgrad: " + Messages.forTerminal(e.getMessage()));
            if (debug) {
                e.printStackTrace(err);
            }
            return 2;
        } catch (Exception | OutOfMemoryError | StackOverflowError | ExceptionInInitializerError | NoClassDefFoundError e) {
            err.println("vectorgrad " + Messages.escape(command) + ": " + Messages.forTerminal(describe(e))
                    + (debug ? "" : " (--debug shows the stack trace)"));
            if (debug) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    /**
     * The message of a failure: for a class whose static initialiser failed (a bad property read
     * there, say), the message of what failed inside it rather than the JVM's wrapper.
     */
    static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExceptionInInitializerError || t instanceof NoClassDefFoundError) && t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.toString() : msg;
    }
}
