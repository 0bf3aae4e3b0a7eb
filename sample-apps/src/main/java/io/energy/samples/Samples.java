package io.energy.samples;

import java.util.Arrays;

/** {@code java -jar sample-apps.jar <name> [args]}: runs one sample program. */
public final class Samples {
    private Samples() {
    }

    public static void main(String[] args) throws Exception {
        String name = args.length == 0 ? "help" : args[0];
        String[] rest = args.length == 0 ? new String[0] : Arrays.copyOfRange(args, 1, args.length);
        switch (name) {
            case "cpu" -> CpuSample.main(rest);
            default -> {
                System.out.println("usage: java -jar sample-apps.jar <cpu> [args]");
                if (!name.equals("help")) {
                    System.exit(2);
                }
            }
        }
    }
}
