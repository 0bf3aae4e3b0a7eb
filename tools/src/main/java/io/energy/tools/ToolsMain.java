package io.energy.tools;

import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar energy.jar diff|compare ...}: energy.jar's entry class opens this jar in a private class
 * loader only for these commands. Exit status: 0 done, 1 a {@code --fail-above} gate failed, 2 bad input
 * (one line on stderr saying what and where).
 */
public final class ToolsMain {
    private ToolsMain() {
    }

    public static void main(String[] args) {
        System.out.flush();
        System.exit(run(args));
    }

    public static int run(String[] args) {
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        String cmd = args.length == 0 ? "" : args[0];
        try {
            int code = switch (cmd) {
                case "diff" -> DiffCommand.run(rest, System.out);
                case "compare" -> CompareCommand.run(rest, System.out);
                default -> throw new BadInput("unknown tools command '" + cmd + "' (diff, compare)");
            };
            System.out.flush();
            return code;
        } catch (BadInput e) {
            System.out.flush();
            System.err.println("[energy] " + e.getMessage());
            return 2;
        } catch (Exception e) {
            // Writing the outputs failed (disk full, no permission): still one line, still not "passed".
            System.out.flush();
            System.err.println("[energy] " + cmd + " failed: " + e);
            return 2;
        }
    }
}
