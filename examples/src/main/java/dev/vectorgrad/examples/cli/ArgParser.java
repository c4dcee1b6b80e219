package dev.vectorgrad.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small {@code --name value} parser for one sub-command: declared options with defaults and
 * help, {@code --name=value} also accepted, {@code --help} anywhere, and every mistake a
 * {@link UsageException} that names the command, the flag and what was expected.
 */
public final class ArgParser {

    private record Spec(String name, String metavar, String defaultValue, String help, boolean isFlag) {}

    private final String command;
    private final String summary;
    private final Map<String, Spec> specs = new LinkedHashMap<>();

    /**
     * @param command the sub-command's name, e.g. {@code train}
     * @param summary one or more lines saying what it does
     */
    public ArgParser(String command, String summary) {
        this.command = command;
        this.summary = summary;
        flag("help", "show this help and exit");
        flag("debug", "print the stack trace of an error");
    }

    /**
     * Declares {@code --name VALUE}.
     *
     * @param name the name without dashes
     * @param metavar what the value is, for the help text
     * @param defaultValue the value when absent, or null if it has none
     * @param help one line
     * @return this parser
     */
    public ArgParser option(String name, String metavar, String defaultValue, String help) {
        specs.put(name, new Spec(name, metavar, defaultValue, help, false));
        return this;
    }

    /**
     * Declares a switch {@code --name} that takes no value.
     *
     * @param name the name without dashes
     * @param help one line
     * @return this parser
     */
    public ArgParser flag(String name, String help) {
        specs.put(name, new Spec(name, null, null, help, true));
        return this;
    }

    /** @return the help text: usage line, summary, one line per option with its default */
    public String usage() {
        StringBuilder sb = new StringBuilder("usage: ./vectorgrad ").append(command).append(" [options]\n\n");
        sb.append(summary.strip()).append("\n\noptions:\n");
        List<String> left = new ArrayList<>();
        int width = 0;
        for (Spec s : specs.values()) {
            String l = "  --" + s.name + (s.isFlag ? "" : " " + s.metavar);
            left.add(l);
            width = Math.max(width, l.length());
        }
        int i = 0;
        for (Spec s : specs.values()) {
            String l = left.get(i++);
            sb.append(l).append(" ".repeat(width - l.length() + 2)).append(s.help);
            if (s.defaultValue != null) {
                sb.append(" (default: ").append(s.defaultValue).append(')');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Parses the arguments after the sub-command's name.
     *
     * @param args the arguments
     * @return the values
     * @throws HelpRequested if {@code --help} is among them
     * @throws UsageException for an unknown option, a missing value, or a stray word
     */
    public Parsed parse(String[] args) throws HelpRequested, UsageException {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                throw new HelpRequested(usage());
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new UsageException(command + ": unexpected argument '" + a + "' (options start with --; see ./vectorgrad "
                        + command + " --help)");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Spec s = specs.get(name);
            if (s == null) {
                throw new UsageException(command + ": unknown option --" + name + " (known: " + known() + ")");
            }
            if (s.isFlag) {
                if (value != null) {
                    throw new UsageException(command + ": --" + name + " takes no value, got '" + value + "'");
                }
                value = "true";
            } else if (value == null) {
                if (i + 1 >= args.length || (args[i + 1].startsWith("--") && args[i + 1].length() > 2)) {
                    throw new UsageException(command + ": --" + name + " needs a value (" + s.metavar + ")");
                }
                value = args[++i];
            }
            if (values.containsKey(name)) {
                throw new UsageException(command + ": --" + name + " given twice");
            }
            values.put(name, value);
        }
        for (Spec s : specs.values()) {
            if (!values.containsKey(s.name) && s.defaultValue != null) {
                values.put(s.name, s.defaultValue);
            }
        }
        return new Parsed(command, values);
    }

    private String known() {
        List<String> names = new ArrayList<>();
        for (String n : specs.keySet()) {
            names.add("--" + n);
        }
        return String.join(" ", names);
    }
}
