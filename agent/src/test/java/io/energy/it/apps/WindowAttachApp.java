package io.energy.it.apps;

import io.energy.api.Energy;
import io.energy.api.EnergyReading;
import io.energy.api.EnergyWindow;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * Measurement windows across an attach and a stop: the test attaches the agent after "waiting attach", and
 * stops it after "waiting stop" while the window "across-stop" is open. Each step is a line on stdin.
 */
public final class WindowAttachApp {
    private WindowAttachApp() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        EnergyWindow before = Energy.begin("before-attach");
        WindowApp.spin(50);
        say("before-attach", before.end());
        System.out.println("waiting attach");
        System.out.flush();
        in.readLine();
        // The API looks for an agent that was not there again every 0.1 s.
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (!Energy.available() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        System.out.println("available " + Energy.available() + " source=" + Energy.source());
        EnergyWindow during = Energy.begin("after-attach");
        WindowApp.spin(300);
        say("after-attach", during.end());
        EnergyWindow across = Energy.begin("across-stop");
        WindowApp.spin(100);
        System.out.println("waiting stop");
        System.out.flush();
        in.readLine();
        say("across-stop", across.end());
        System.out.println("available " + Energy.available() + " reason=" + Energy.unavailableReason());
    }

    static void say(String label, EnergyReading r) {
        System.out.println("window " + label + " available=" + r.available() + " J=" + r.joules() + " reason="
                + r.reason());
        System.out.flush();
    }
}
