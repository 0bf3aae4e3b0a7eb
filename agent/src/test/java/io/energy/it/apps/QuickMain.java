package io.energy.it.apps;

/** A program that ends at once: the agent's fixed cost at start and exit is all there is (StartupCostIT). */
public final class QuickMain {
    private QuickMain() {
    }

    public static void main(String[] args) {
        System.out.println("quick main done");
    }
}
