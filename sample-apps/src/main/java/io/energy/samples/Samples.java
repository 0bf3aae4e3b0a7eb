package io.energy.samples;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code java -jar sample-apps.jar <name> [args]}: runs one sample program.
 *
 * <p>Each sample is an ordinary program a user could have written, run the same way with and without
 * {@code -javaagent:energy.jar}. Exit codes: 0 done (including "no GPU here"), 1 the sample failed,
 * 2 unknown sample or bad arguments.
 */
public final class Samples {
    /** One line per sample: the name, its arguments, what it shows. Printed by {@code help}. */
    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar sample-apps.jar <name> [args]",
            "  cpu [seconds=3] [rounds=N]       hashing, sorting, JSON, strings: joules rank differs from calls",
            "  threads [seconds=3] [workers=4] [tasks=N]",
            "                                   heavy and light tasks at once, plus a thread that mostly waits;",
            "                                   tasks=N runs exactly N tasks instead of for a time",
            "  service [port=0] [host=127.0.0.1] [threads=4]",
            "                                   HTTP: /hash?n= /sort?n= /json?n= /health /quit",
            "  tradeoff [n=3000000] [rounds=1] [way=both|fast|lean]",
            "                                   same result, parallel (fast, hungry) vs one thread (slow, lean)",
            "  gpu [seconds=5] [launches=N] [batch=6] [kernel-ms=40] [iters=N] [sync=block|spin|yield|auto]",
            "                                   CUDA kernels via JNA with CPU phases between; exits 0 without a GPU",
            "  help                             this list",
            "the first value may be given without its name: 'cpu 10' is 'cpu seconds=10', 'tradeoff 1000' is 'n=1000'");

    private Samples() {
    }

    public static void main(String[] args) throws Exception {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Dispatches to a sample and returns the exit code instead of calling {@link System#exit}, so tests can
     * run every sample in-process.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        String name = args.length == 0 ? "help" : args[0];
        String[] rest = args.length == 0 ? new String[0] : Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (name) {
                case "cpu":
                    return CpuSample.run(rest, out);
                case "threads":
                    return ThreadsSample.run(rest, out);
                case "service":
                    return ServiceSample.run(rest, out);
                case "tradeoff":
                    return TradeoffSample.run(rest, out);
                case "gpu":
                    return GpuSample.run(rest, out);
                case "help":
                case "-h":
                case "--help":
                    out.println(USAGE);
                    return 0;
                default:
                    err.println("unknown sample: " + name);
                    err.println(USAGE);
                    return 2;
            }
        } catch (Args.UsageException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }
}
