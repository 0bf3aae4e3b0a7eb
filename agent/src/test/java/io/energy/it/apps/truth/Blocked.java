package io.energy.it.apps.truth;

import io.energy.it.apps.Truth;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Case (a): one thread alternates {@link #query} (a socket read that waits 20-60 ms for a localhost server
 * that answers late: the thread is RUNNABLE in native code and uses no CPU) and {@link #compute} (10 ms of
 * CPU). Energy must follow the CPU, not the RUNNABLE state.
 */
public final class Blocked {
    private Blocked() {
    }

    public static void main(String[] args) throws Exception {
        Truth.start();
        long deadline = Truth.deadline(args);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> serve(server), "late-server");
            t.setDaemon(true);
            t.start();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                s.setTcpNoDelay(true);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                long sum = 0;
                while (System.nanoTime() < deadline) {
                    sum += query(in, out);
                    sum += compute();
                }
                System.out.println("checksum " + sum);
            }
        }
        Truth.finish(args[0]);
    }

    static int query(InputStream in, OutputStream out) throws Exception {
        long c0 = Truth.cpu();
        out.write(1);
        out.flush();
        int r = in.read();
        Truth.add("Blocked.query", Truth.cpu() - c0);
        return r;
    }

    static long compute() {
        long c0 = Truth.cpu();
        long x = Truth.burn(Truth.vary(10_000_000L));
        Truth.add("Blocked.compute", Truth.cpu() - c0);
        return x;
    }

    /** Answers each byte 40 ms late; sleeping, so it costs (almost) no CPU. */
    static void serve(ServerSocket server) {
        try (Socket c = server.accept()) {
            c.setTcpNoDelay(true);
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                Thread.sleep(Truth.vary(40_000_000L) / 1_000_000L);
                out.write(b);
                out.flush();
            }
        } catch (Exception e) {
            // the client closed the connection: the run is over
        }
    }
}
