package io.energy.report;

import java.io.IOException;
import java.io.OutputStream;

/** One output format: one file, one job. Every writer reads the same {@link EnergyProfile}. */
public interface ProfileWriter {
    /** File name inside the output directory. */
    String fileName();

    void write(EnergyProfile profile, OutputStream out) throws IOException;
}
