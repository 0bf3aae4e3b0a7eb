#!/usr/bin/env python3
"""Distance between two profiles of the same workload, at method and package level.

  profile-agreement.py ASYNC_PROFILER.collapsed ENERGY.collapsed [top]

The first file is async-profiler's own CPU profile (collapsed, samples), the second the agent's
energy.collapsed (µJ). Both are reduced the same way the agent reduces stacks: application (Java) threads only,
native/JVM/kernel frames folded into the Java frame that called them, hidden-class addresses dropped; the
agent's buckets ("(GC)", "(static/idle)", ...) and stacks with no Java frame are left out of both. Each side is
then a distribution of self weight over methods (and over packages); the script prints the top methods of
each and the total-variation distance (half the sum of absolute share differences, in share points).
"""
import re
import sys
from collections import defaultdict

JAVA = re.compile(r'^[A-Za-z_$][\w$/.<>\-]*\.[\w$<>\-]+$')
HIDDEN = re.compile(r'[./]0x[0-9a-f]+')
LAMBDA = re.compile(r'\$\$Lambda\$\d+')


def is_java(f):
    return ('::' not in f and '@' not in f and ' ' not in f and '[' not in f and '(' not in f
            and not f.endswith('.so') and '.so.' not in f and JAVA.match(f) is not None)


def norm(f):
    return LAMBDA.sub('$$Lambda', HIDDEN.sub('', f)).replace('/', '.')


def load(path):
    methods = defaultdict(float)
    for line in open(path, encoding='utf-8', errors='replace'):
        line = line.rstrip('\n')
        if not line or ' ' not in line:
            continue
        stack, _, count = line.rpartition(' ')
        try:
            w = float(count)
        except ValueError:
            continue
        frames = stack.split(';')
        if not frames or frames[0].startswith('(') or not is_java(frames[0]):
            continue
        java = [norm(f) for f in frames if is_java(f)]
        if any(f.startswith('io.energy.') and not f.startswith(('io.energy.bench.', 'io.energy.samples.', 'io.energy.it.'))
               for f in java):
            continue  # the agent's own frames: its bucket, not the program's
        methods[java[-1]] += w
    total = sum(methods.values())
    return {m: v / total for m, v in methods.items()} if total else {}


def package(m):
    cls = m.rsplit('.', 1)[0]
    return cls.rsplit('.', 1)[0] if '.' in cls else '(default)'


def by_package(d):
    out = defaultdict(float)
    for m, v in d.items():
        out[package(m)] += v
    return out


def tv(a, b):
    return 50.0 * sum(abs(a.get(k, 0) - b.get(k, 0)) for k in set(a) | set(b))


def main():
    ap, en = load(sys.argv[1]), load(sys.argv[2])
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    print(f"{'method (self share)':70} {'async-profiler':>14} {'energy':>8}")
    for m in sorted(ap, key=ap.get, reverse=True)[:top]:
        print(f"{m[-70:]:70} {100 * ap[m]:13.1f}% {100 * en.get(m, 0):7.1f}%")
    topset = sorted(ap, key=ap.get, reverse=True)[:top]
    print(f"top-{top} methods: max |difference| {max(100 * abs(ap[m] - en.get(m, 0)) for m in topset):.2f} points")
    print(f"total-variation distance, methods:  {tv(ap, en):.2f} points")
    print(f"total-variation distance, packages: {tv(by_package(ap), by_package(en)):.2f} points")


if __name__ == '__main__':
    main()
