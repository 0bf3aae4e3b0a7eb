package io.energy.attach;

/** {@code energy-attach list | <pid> start|status|dump|stop [options]}. */
public final class EnergyAttach {
    private EnergyAttach() {
    }

    public static void main(String[] args) {
        System.out.println("usage: energy-attach list | <pid> start|status|dump|stop [options]");
    }
}
