#!/usr/bin/env python3
"""CPU time of one JVM run split by thread kind (issue 13): main, C2 and C1 compiler threads, GC, the agent's threads.

Usage: scripts/thread-cpu.py NAME -- java [options] ...
Runs the command, reads /proc/PID/task/*/stat every 50 ms while it runs (the last reading of each thread counts), and
prints one line: NAME wall=… cpu=… main=… C2=… C1=… gc=… energy=… other=… (seconds; cpu is user + sys of the whole
process from the kernel, the rest per thread group). Run Java with -XX:-UseDynamicNumberOfCompilerThreads so that
compiler threads live to the end. Linux only. The command's stdout and stderr go to NAME.out / NAME.err.
"""
import collections
import os
import re
import resource
import subprocess
import sys
import time


def group(comm):
    if comm.startswith('C2 Comp'):
        return 'C2'
    if comm.startswith('C1 Comp'):
        return 'C1'
    if comm in ('java', 'main'):
        return 'main'
    if re.match(r'(GC|G1|VM Periodic|Conc)', comm):
        return 'gc'
    if 'energy' in comm.lower():
        return 'energy'
    return 'other'


def main():
    if len(sys.argv) < 4 or sys.argv[2] != '--':
        sys.exit(__doc__)
    name, cmd = sys.argv[1], sys.argv[3:]
    t0 = time.time()
    p = subprocess.Popen(cmd, stdout=open(name + '.out', 'w'), stderr=open(name + '.err', 'w'))
    seen = {}
    while p.poll() is None:
        try:
            tids = os.listdir(f'/proc/{p.pid}/task')
        except OSError:
            tids = []
        for t in tids:
            try:
                s = open(f'/proc/{p.pid}/task/{t}/stat').read()
            except OSError:
                continue
            r = s.rfind(')')
            f = s[r + 2:].split()
            seen[t] = (s[s.find('(') + 1:r], int(f[11]) + int(f[12]))
        time.sleep(0.05)
    wall = time.time() - t0
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    hz = os.sysconf('SC_CLK_TCK')
    g = collections.Counter()
    for comm, ticks in seen.values():
        g[group(comm)] += ticks / hz
    print(f'{name} wall={wall:.2f} cpu={ru.ru_utime + ru.ru_stime:.2f} '
          + ' '.join(f'{k}={g[k]:.2f}' for k in ['main', 'C2', 'C1', 'gc', 'energy', 'other']), flush=True)
    sys.exit(p.returncode)


if __name__ == '__main__':
    main()
