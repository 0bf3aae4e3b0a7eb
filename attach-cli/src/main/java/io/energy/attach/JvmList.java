package io.energy.attach;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** {@code energy-attach list}: the JVMs this user can attach to. */
final class JvmList {
    /** One line of the list. {@code note}: why a JVM could not be asked, or null. */
    record Row(long pid, String java, String energy, String main, String note) {
    }

    private static final long DEADLINE_MILLIS = 6_000;

    private JvmList() {
    }

    static int run(PrintStream out) {
        long self = ProcessHandle.current().pid();
        int ourUid = Proc.uid("self");
        List<VirtualMachineDescriptor> found = new ArrayList<>();
        int otherUsers = 0;
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            long pid;
            try {
                pid = Long.parseLong(d.id());
            } catch (NumberFormatException e) {
                continue;
            }
            if (pid == self) {
                continue;
            }
            if (Diagnosis.otherUser(pid, Proc.uid(d.id()), null, ourUid, null) != null) {
                otherUsers++;
                continue;
            }
            found.add(d);
        }
        // The attach list leaves out JVMs that refuse attaching; their perf-data files still show them.
        List<Row> refusing = new ArrayList<>();
        for (long pid : Proc.perfDataPids()) {
            boolean known = pid == self;
            for (VirtualMachineDescriptor d : VirtualMachine.list()) {
                known |= d.id().equals(Long.toString(pid));
            }
            if (!known && ProcessHandle.of(pid).isPresent()) {
                String options = Proc.jvmOptions(pid);
                refusing.add(new Row(pid, "?", "?", mainFromArgs(Proc.commandLine(pid)),
                        Diagnosis.attachDisabledByOptions(pid, options) != null
                                ? "attach disabled: -XX:+DisableAttachMechanism" : "not attachable"));
            }
        }
        // Asked in parallel with one deadline: a JVM that is stopped or swamped must not stall the list.
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(8, found.size())), r -> {
            Thread t = new Thread(r, "energy-attach-list");
            t.setDaemon(true);
            return t;
        });
        List<Future<Row>> rows = new ArrayList<>();
        for (VirtualMachineDescriptor d : found) {
            rows.add(pool.submit(() -> ask(d)));
        }
        pool.shutdown();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS);
        List<Row> answered = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            VirtualMachineDescriptor d = found.get(i);
            try {
                Row row = rows.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (row != null) {
                    answered.add(row);
                }
            } catch (Exception e) {
                answered.add(new Row(Long.parseLong(d.id()), "?", "?", main(d.displayName()), "did not answer in time"));
            }
        }
        answered.addAll(refusing);
        answered.sort(java.util.Comparator.comparingLong(Row::pid));
        out.print(render(answered));
        if (answered.isEmpty()) {
            out.println("no JVMs found that you can attach to (a JVM started with -XX:-UsePerfData is not listed: "
                    + "`energy-attach <pid> status` still reaches it)");
        }
        if (otherUsers > 0) {
            out.println(otherUsers + (otherUsers == 1 ? " JVM of another user is" : " JVMs of other users are")
                    + " not shown: a JVM only accepts attach requests from its own user");
        }
        return 0;
    }

    private static Row ask(VirtualMachineDescriptor d) {
        long pid = Long.parseLong(d.id());
        String main = main(d.displayName());
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(d);
        } catch (AttachNotSupportedException e) {
            String m = String.valueOf(e.getMessage());
            return new Row(pid, "?", "?", main, m.contains("does not support the attach mechanism")
                    ? "attach disabled (-XX:+DisableAttachMechanism)" : "cannot attach: " + m);
        } catch (Exception e) {
            if (ProcessHandle.of(pid).isEmpty()) {
                return null; // exited since it was listed
            }
            return new Row(pid, "?", "?", main, "cannot attach: " + e.getMessage());
        }
        try {
            Properties p = vm.getSystemProperties();
            String state = p.getProperty(Target.STATE_PROPERTY);
            String energy = state == null ? "no" : state;
            return new Row(pid, p.getProperty("java.version", "?"), energy, main, null);
        } catch (Exception e) {
            return new Row(pid, "?", "?", main, "cannot read its properties: " + e.getMessage());
        } finally {
            try {
                vm.detach();
            } catch (Exception ignored) {
                // nothing held on our side
            }
        }
    }

    /** The main class or jar: the first word of the command line the JVM published. */
    static String main(String displayName) {
        if (displayName == null || displayName.isBlank()) {
            return "?";
        }
        String d = displayName.strip();
        int space = d.indexOf(' ');
        return space < 0 ? d : d.substring(0, space);
    }

    /** Options of the java launcher that take the next word as their value. */
    private static final java.util.Set<String> TAKES_VALUE = java.util.Set.of("-cp", "-classpath", "--class-path",
            "-p", "--module-path", "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-exports",
            "--add-opens", "--add-reads", "--patch-module", "--enable-native-access", "--source");

    /** The main class or jar from a java command line, for JVMs that published none. */
    static String mainFromArgs(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if ((a.equals("-jar") || a.equals("-m") || a.equals("--module")) && i + 1 < argv.size()) {
                return argv.get(i + 1);
            }
            if (TAKES_VALUE.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return "?";
    }

    static String render(List<Row> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        int java = "JAVA".length();
        int energy = "ENERGY".length();
        for (Row r : rows) {
            java = Math.max(java, r.java().length());
            energy = Math.max(energy, r.energy().length());
        }
        String format = "%-8s %-" + java + "s %-" + energy + "s %s%n";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, format, "PID", "JAVA", "ENERGY", "MAIN"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, format, r.pid(), r.java(), r.energy(),
                    r.main() + (r.note() == null ? "" : "  (" + r.note() + ")")));
        }
        return sb.toString();
    }
}
